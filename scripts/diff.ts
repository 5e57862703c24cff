// `tsx scripts/diff.ts [targets...]` (npm run n8n:diff): what workflow migrations change, for review.
import { diffCommand } from "../src/cli/commands/diff.ts";
import { runMain } from "../src/cli/main.ts";

await runMain(diffCommand);
