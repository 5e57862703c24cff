// `npm run demo`: the three stories on an embedded PostgreSQL (nothing to install beyond npm ci).
import { demoCommand } from "../src/cli/commands/demo.ts";
import { runMain } from "../src/cli/main.ts";

await runMain(demoCommand);
