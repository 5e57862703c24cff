// Applies every pending migration in MIGRATIONS_DIR to the environment's database (runs on every start).
import { createProgram, dbUrlOption, envOption } from "../main.ts";
import { createOutput, oneLine } from "../../output/output.ts";
import { createProgress } from "../../output/progress.ts";
import { loadConfig, maskUrl, parseDuration } from "../../config/config.ts";
import { migrateUp } from "../../migrate-up/migrate-up.ts";
import { migrateUpExitCode } from "../exit-codes.ts";
import { appliedLines, eventLines, failureBlock, headerLine, pendingLines, publicationLines, summaryLine, waitingLine, workflowReports } from "../migrate-up-lines.ts";
import { publishRefused, settlePublications, type Publication } from "../../migrate-up/publication.ts";
import { applySettingsFromConfig, parseSeconds } from "../migrate-up-options.ts";

/** PostgreSQL lock_timeout per file unless --lock-timeout or N8N_SYNC_LOCK_TIMEOUT says otherwise */
const DEFAULT_LOCK_TIMEOUT = "10s";

export const migrateUpCommand = createProgram("migrate-up", "apply pending Supabase migrations (workflow migrations included), exactly once each")
  .addOption(envOption())
  .addOption(dbUrlOption())
  .option("--dry-run", "print the plan; change nothing")
  .option("--json", "print a machine-readable result")
  .option("--strict-order", "refuse pending files older than the newest applied one")
  .option("--allow-drift", "continue when an applied file changed since (with a warning)")
  .option("--fail-on-conflict", "exit 3 when a workflow conflict was reported")
  .option("--fail-on-missing-references", "plan first; exit 3 and apply nothing when a workflow reference would stay unresolved")
  .option("--keep-published-version", "active workflows keep publishing their current version")
  .option("--credential-map <file>", "JSON {source credential id: target credential id} (else N8N_CREDENTIAL_MAP)")
  .option("--lock-wait <seconds>", "wait this long for another migrate-up", "60")
  .option("--lock-timeout <duration>", "PostgreSQL lock_timeout per file (else N8N_SYNC_LOCK_TIMEOUT, default 10s)")
  .option("--statement-timeout <duration>", "PostgreSQL statement_timeout per file (else N8N_SYNC_STATEMENT_TIMEOUT)")
  .option("--wait-for-n8n <seconds>", "wait up to this long for n8n to create its tables (else workflow files wait for the next start)")
  .option("--no-reload", "do not ask n8n (N8N_API_URL + N8N_API_KEY) to reload changed active workflows")
  .option("--wait-live <seconds>", "wait this long for n8n to report each published workflow live (else N8N_SYNC_WAIT_LIVE; default: do not wait)")
  .option("--fail-on-publish-error", "exit 3 when n8n refused to publish a workflow (its previous version is put back)")
  .option("--verbose", "on a terminal, also print each workflow's line above the progress bar")
  .addHelpText(
    "after",
    "\nExit codes: 0 done (or nothing pending), 1 a migration failed or the run was refused (drift, order), 2 usage,\n" +
      "3 a conflict with --fail-on-conflict, an unresolved reference with --fail-on-missing-references (nothing applied)\n" +
      "or a publish n8n refused with --fail-on-publish-error, 4 N8N_DB_SCHEMA names a schema without n8n's tables while\n" +
      "they are elsewhere (without any, workflow files wait), 6 another migrate-up held the lock past --lock-wait.",
  )
  .action(async (opts) => {
    const config = loadConfig({ env: opts.env, databaseUrl: opts.dbUrl });
    const out = createOutput({ json: Boolean(opts.json) });
    const database = maskUrl(config.databaseUrl);
    out.info(headerLine(config.envName, database, Boolean(opts.dryRun)));
    const progress = createProgress(out, { label: "applying", verbose: Boolean(opts.verbose) });
    const result = await migrateUp({
      databaseUrl: config.databaseUrl,
      migrationsDir: config.migrationsDir,
      settings: applySettingsFromConfig(config, { keepPublishedVersion: opts.keepPublishedVersion, credentialMap: opts.credentialMap }),
      dryRun: Boolean(opts.dryRun),
      strictOrder: Boolean(opts.strictOrder),
      allowDrift: Boolean(opts.allowDrift),
      lockWaitMs: parseSeconds(opts.lockWait, "--lock-wait"),
      lockTimeout: parseDuration(opts.lockTimeout, "--lock-timeout") ?? config.lockTimeout ?? DEFAULT_LOCK_TIMEOUT,
      statementTimeout: parseDuration(opts.statementTimeout, "--statement-timeout") ?? config.statementTimeout,
      waitForN8nMs: parseSeconds(opts.waitForN8n, "--wait-for-n8n"),
      failOnMissingReferences: Boolean(opts.failOnMissingReferences),
      onEvent: (event) => {
        if (event.type === "started") progress.start(event.pending);
        else if (event.type === "applying") {
          progress.working(event.migration.file);
          for (const line of eventLines(event)) progress.notice(line.level, line.text);
        }
        else if (event.type === "applied") {
          for (const line of appliedLines(event.file)) {
            if (line.notice) progress.notice(line.level, line.text);
            else progress.line(line.text);
          }
          progress.advance(event.file.file);
        } else for (const line of eventLines(event)) progress.notice(line.level, line.text);
      },
    }).finally(() => progress.stop());
    if (result.dryRun || result.status === "missing-references") for (const line of result.pending.flatMap(pendingLines)) out.info(line);
    if (result.failure) out.error(failureBlock(result.failure));
    else if (result.message) out.error(result.message);
    else out.info(summaryLine(result));
    for (const waiting of result.waiting) out.info(waitingLine(waiting));
    // Only after the run: the database is migrated whatever n8n answers. n8n 2.3x+ publishes what the files
    // queued in its outbox (waited for with --wait-live); n8n 1.x is reloaded through its API when set.
    const waitLiveMs = parseSeconds(opts.waitLive, "--wait-live") ?? (config.waitLiveSeconds ?? 0) * 1000;
    const publications: Publication[] = result.dryRun
      ? []
      : await settlePublications(workflowReports(result), {
          databaseUrl: config.databaseUrl,
          schema: config.n8nSchema,
          waitLiveMs,
          api: opts.reload === false ? undefined : config.n8nApi,
        });
    for (const p of publications) {
      if (p.reloaded && p.publication.status === "live") out.info(`  reloaded ${oneLine(p.name)} (${p.workflowId}) in n8n`);
      else if (p.reloaded) out.warn(`n8n did not reload ${oneLine(p.name)} (${p.workflowId}): ${p.publication.errors[0]?.message}; it runs the new version after n8n restarts`);
      for (const line of publicationLines(p, waitLiveMs)) (line.level === "warn" ? out.warn : out.info)(line.text);
    }
    out.result({ env: config.envName, database, ...result, publications });
    process.exitCode = migrateUpExitCode(result, {
      failOnConflict: Boolean(opts.failOnConflict),
      failOnPublishError: Boolean(opts.failOnPublishError),
      publishRefused: publishRefused(publications),
    });
  });
