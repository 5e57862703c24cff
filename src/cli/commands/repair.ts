// Marks migration versions applied or reverted in the shared history, like `supabase migration repair`.
import { Option, createProgram, dbUrlOption, envOption } from "../main.ts";
import { createOutput } from "../../output/output.ts";
import { loadConfig, maskUrl } from "../../config/config.ts";
import { repairHistory } from "../../migrations/repair.ts";
import { parseSeconds } from "../migrate-up-options.ts";

export const repairCommand = createProgram("repair", "mark migration versions applied or reverted without running them")
  .addOption(envOption())
  .addOption(dbUrlOption())
  .addOption(new Option("--status <status>", "applied or reverted").choices(["applied", "reverted"]).makeOptionMandatory())
  .option("--json", "print a machine-readable result")
  .option("--lock-wait <seconds>", "wait this long for a running migrate-up", "60")
  .argument("<versions...>", "14-digit migration versions")
  .action(async (versions: string[], opts) => {
    const config = loadConfig({ env: opts.env, databaseUrl: opts.dbUrl });
    const out = createOutput({ json: Boolean(opts.json) });
    out.info(`repair: env ${config.envName}, database ${maskUrl(config.databaseUrl)}`);
    const result = await repairHistory({
      databaseUrl: config.databaseUrl,
      migrationsDir: config.migrationsDir,
      status: opts.status,
      versions,
      lockWaitMs: parseSeconds(opts.lockWait, "--lock-wait"),
    });
    out.info(`marked ${result.changed.length} version(s) ${result.status}: ${result.changed.join(", ") || "none"}`);
    out.result({ env: config.envName, ...result });
  });
