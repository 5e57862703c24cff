// Marks migration versions applied or reverted in the shared history, like `supabase migration repair`.
import { repairCommand } from "../src/cli/commands/repair.ts";
import { runMain } from "../src/cli/main.ts";

await runMain(repairCommand);
