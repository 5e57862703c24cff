// Exports production workflows changed recently (or named) as prod_sync_ migrations for a pull request.
import path from "node:path";
import { writeFile } from "node:fs/promises";
import { createProgram, dbUrlOption, envOption } from "../main.ts";
import { favourMemoryOverSpeed } from "../memory.ts";
import { createOutput } from "../../output/output.ts";
import { ExitCode, UserError } from "../../errors/errors.ts";
import { exportProdExitCode } from "../exit-codes.ts";
import { loadConfig, maskUrl } from "../../config/config.ts";
import { allowlistEntryFor, DEFAULT_ALLOWLIST_FILE, readAllowlist } from "../../secrets/allowlist.ts";
import { DEFAULT_CONCURRENCY, exportProd } from "../../prod-sync/export-prod.ts";
import { stageMigrations } from "../../prod-sync/git.ts";
import { createProgressReporter } from "../../prod-sync/progress.ts";
import { terminalSummaryLines } from "../../prod-sync/terminal-summary.ts";
import { DEFAULT_DAYS, parseDays, parsePositiveInt } from "../../prod-sync/select.ts";
import { readValuesFile } from "../../workflows/environment-values-file.ts";

const collect = (value: string, previous: string[]) => [...previous, value];

export const exportProdCommand = createProgram("export-prod", "export production workflows changed recently as prod_sync_ migrations (read-only)")
  .addOption(envOption("production"))
  .addOption(dbUrlOption())
  .option("--days <n>", "workflows changed in the last N days (else EXPORT_PROD_DAYS, else 7)")
  .option("--name <name>", "export the workflow with this exact name (repeatable)", collect, [])
  .option("--id <id>", "export the workflow with this id (repeatable)", collect, [])
  .option("--include-archived", "archived workflows too")
  .option("--with-dependencies", "also every workflow they call (sub-workflows), callees in earlier files")
  .option("--concurrency <n>", "workflows read at once", String(DEFAULT_CONCURRENCY))
  .option("--summary <file>", "also write the Markdown review summary to this file")
  .option("--allowlist <file>", "accepted secret findings", DEFAULT_ALLOWLIST_FILE)
  .option("--allow-secrets", "write workflows with secret findings anyway (they are still listed)")
  .option("--values-file <file>", "the environment values file (else N8N_VALUES_FILE, else supabase/n8n-values.json)")
  .option("--dev-env <name>", "check this environment's database for local edits that would conflict")
  .option("--git-add", "then git add the files it wrote (nothing else) and show git status (npm run n8n:sync-from-prod)")
  .option("--json", "print a machine-readable result")
  .addHelpText("after", "\nExit codes: 0 done (or nothing new), 1 failure, 2 usage, 4 n8n not ready, 5 secrets found (the other workflows were written).")
  .action(async (opts) => {
    favourMemoryOverSpeed();
    // export-prod only reads: DATABASE_READER_URL (the read-only role) when set, else DATABASE_URL
    const config = loadConfig({ env: opts.env, databaseUrl: opts.dbUrl, access: "read" });
    const dev = opts.devEnv ? loadConfig({ env: opts.devEnv, access: "read" }) : undefined;
    if (dev && dev.databaseUrl === config.databaseUrl) {
      throw new UserError(`--dev-env ${opts.devEnv} has the same DATABASE_URL as ${config.envName} (a DATABASE_URL in the environment wins over both .env files): set each in its .env.<env>.local`, ExitCode.USAGE);
    }
    const out = createOutput({ json: Boolean(opts.json) });
    out.info(`export-prod: reading ${config.envName} (${maskUrl(config.databaseUrl)}, schema ${config.n8nSchema}) read-only`);
    const progress = createProgressReporter(out);
    const result = await exportProd({
      envName: config.envName,
      databaseUrl: config.databaseUrl,
      schema: config.n8nSchema,
      migrationsDir: config.migrationsDir,
      selection: {
        days: opts.days !== undefined ? parseDays(opts.days, "--days") : (config.exportProdDays ?? DEFAULT_DAYS),
        names: opts.name,
        ids: opts.id,
        includeArchived: Boolean(opts.includeArchived),
      },
      concurrency: parsePositiveInt(opts.concurrency, "--concurrency"),
      allowlist: await readAllowlist(path.resolve(opts.allowlist)),
      allowSecrets: Boolean(opts.allowSecrets),
      withDependencies: Boolean(opts.withDependencies),
      values: await readValuesFile(opts.valuesFile ? path.resolve(opts.valuesFile) : config.valuesFile),
      dev: dev && { envName: dev.envName, databaseUrl: dev.databaseUrl, schema: dev.n8nSchema },
      onEvent: (event) => progress.onEvent(event),
    }).finally(() => progress.stop());

    if (opts.summary) await writeFile(opts.summary, result.summary);
    // The Markdown is the pull request's body: in CI logs as ever, on a terminal a few lines instead.
    if (config.githubActions) {
      out.info("");
      out.info(result.summary);
    } else {
      for (const line of terminalSummaryLines(result.workflows, { listFiles: progress.bar, summaryFile: opts.summary })) out.info(line);
    }
    for (const workflow of result.workflows) {
      for (const finding of workflow.findings.filter((f) => !f.allowedBy)) {
        out.warn(`secret in ${JSON.stringify(finding.workflowName)} node ${JSON.stringify(finding.node)} ${finding.path}: ${finding.kind} ${finding.masked}; if acceptable, add to ${opts.allowlist}: ${JSON.stringify(allowlistEntryFor(finding))}`);
      }
    }
    const line = `${result.written} file(s) written, ${result.alreadyExported} already exported, ${result.blocked} blocked by secrets`;
    const exitCode = exportProdExitCode(result);
    if (exitCode === ExitCode.SECRETS_FOUND) {
      out.error(`${line}: move those values into n8n credentials in ${config.envName} (or allow each finding) and rerun`);
    } else if (result.written === 0 && result.matched > 0) {
      out.info(`${line}: nothing new to export`);
    } else {
      out.info(line);
    }
    if (opts.gitAdd && exitCode === ExitCode.OK) {
      // only what this run wrote: other work in progress in the folder stays unstaged
      const written = result.files.map((file) => path.join(config.migrationsDir, file));
      out.info(written.length > 0 ? await stageMigrations(config.migrationsDir, written) : "git add: nothing written, nothing staged");
    }
    out.result({ env: config.envName, ...result, exitCode });
    process.exitCode = exitCode;
  });
