// Exports n8n workflows into SQL migrations: `tsx scripts/export.ts --env development "Workflow Name"`.
import { exportCommand } from "../src/cli/commands/export.ts";
import { runMain } from "../src/cli/main.ts";

await runMain(exportCommand);
