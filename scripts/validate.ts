// Checks migration files before review: `tsx scripts/validate.ts [files...]` (default: the migration
// files changed against the main branch, or every file when git or the branch is not there).
import { validateCommand } from "../src/cli/commands/validate.ts";
import { runMain } from "../src/cli/main.ts";

await runMain(validateCommand);
