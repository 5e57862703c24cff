// What this environment has applied, what is pending or drifted, and per workflow whether the database
// and the newest migration file agree: `tsx scripts/status.ts [--env <name>] [--json]`.
import { createProgram, dbUrlOption, envOption } from "../main.ts";
import { statusExitCode } from "../exit-codes.ts";
import { createOutput } from "../../output/output.ts";
import { loadConfig, maskUrl } from "../../config/config.ts";
import { statusDetailLines, statusHeaderLine, statusSummaryLine } from "../status-lines.ts";
import { readStatus } from "../../status/status.ts";

export const statusCommand = createProgram("status", "applied / pending / drifted migrations, and per workflow whether the database and the files agree")
  .addOption(envOption())
  .option("--json", "print a machine-readable result")
  .addOption(dbUrlOption())
  .addHelpText(
    "after",
    "\nExit codes: 0 ok, 1 failure or an applied file drifted (changed since it was applied: the next migrate-up stops), 2 usage, 3 a workflow conflicts (migrate-up would report it).",
  )
  .action(async (opts) => {
    const config = loadConfig({ env: opts.env, databaseUrl: opts.dbUrl });
    const out = createOutput({ json: Boolean(opts.json) });
    const database = maskUrl(config.databaseUrl);
    out.info(statusHeaderLine(config.envName, database));
    const result = await readStatus({ databaseUrl: config.databaseUrl, schema: config.n8nSchema, migrationsDir: config.migrationsDir });
    for (const line of statusDetailLines(result)) out[line.level](line.text);
    out.info(statusSummaryLine(result));
    out.result({ env: config.envName, database, ...result });
    process.exitCode = statusExitCode(result);
  });
