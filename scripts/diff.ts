// What workflow migrations change, for review: `tsx scripts/diff.ts [targets...] [--env <name>]
// [--base <ref>] [--markdown [--max-chars <n>]] [--json]`.
import { runMain } from "../src/cli/main.ts";
import { createDiffCommand } from "../src/cli/commands/diff.ts";

await runMain(createDiffCommand());
