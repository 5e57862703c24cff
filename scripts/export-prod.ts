// Exports production workflows changed recently (or named) as prod_sync_ migrations for a pull request.
import { exportProdCommand } from "../src/cli/commands/export-prod.ts";
import { runMain } from "../src/cli/main.ts";

await runMain(exportProdCommand);
