// Writes a NEW migration restoring an earlier version of a workflow:
// `tsx scripts/rollback.ts --workflow <name|id> --to <versionId|previous>`. Nothing is edited or deleted.
import { createProgram, dbUrlOption, envOption, Option } from "../main.ts";
import { createOutput } from "../../output/output.ts";
import { loadConfig } from "../../config/config.ts";
import { rollbackWorkflow } from "../../rollback/rollback.ts";
import { oneLine } from "../../output/output.ts";
import { readValuesFile } from "../../workflows/environment-values-file.ts";

export const rollbackCommand = createProgram("rollback", "write a new migration that restores an earlier version of a workflow")
  .addOption(envOption())
  .addOption(dbUrlOption())
  .addOption(new Option("--workflow <name|id>", "the workflow (exact name or id)").makeOptionMandatory())
  .addOption(new Option("--to <versionId|previous>", "a versionId from workflow_history or a migration file, or previous").makeOptionMandatory())
  .addOption(new Option("--source <source>", "the Source written in the header").choices(["dev", "staging", "prod"]).default("dev"))
  .option("--json", "print a machine-readable result")
  .addHelpText(
    "after",
    "\nThe file is an ordinary workflow migration: review it, commit it, and migrate-up applies it everywhere.\nExit codes: 0 written, 1 failure (unknown workflow or version), 2 usage, 4 n8n not ready.",
  )
  .action(async (opts) => {
    const config = loadConfig({ env: opts.env, databaseUrl: opts.dbUrl });
    const out = createOutput({ json: Boolean(opts.json) });
    const result = await rollbackWorkflow({
      databaseUrl: config.databaseUrl,
      schema: config.n8nSchema,
      migrationsDir: config.migrationsDir,
      workflow: opts.workflow,
      to: opts.to,
      source: opts.source,
      environment: { name: config.envName, values: await readValuesFile(config.valuesFile) },
    });
    out.info(
      `wrote ${result.path}: "${oneLine(result.name)}" back to version ${result.restoredVersionId} (from ${result.restoredFrom}) as new version ${result.newVersionId}; commit it, then run migrate-up`,
    );
    out.result({ env: config.envName, ...result });
  });
