// What this environment has applied, what is pending or drifted, and per workflow whether the database
// and the newest migration file agree: `tsx scripts/status.ts [--env <name>] [--json]`.
import { statusCommand } from "../src/cli/commands/status.ts";
import { runMain } from "../src/cli/main.ts";

await runMain(statusCommand);
