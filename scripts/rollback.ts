// Writes a NEW migration restoring an earlier version of a workflow:
// `tsx scripts/rollback.ts --workflow <name|id> --to <versionId|previous>`. Nothing is edited or deleted.
import { rollbackCommand } from "../src/cli/commands/rollback.ts";
import { runMain } from "../src/cli/main.ts";

await runMain(rollbackCommand);
