// Applies every pending migration in MIGRATIONS_DIR to the environment's database (runs on every start).
import { migrateUpCommand } from "../src/cli/commands/migrate-up.ts";
import { runMain } from "../src/cli/main.ts";

await runMain(migrateUpCommand);
