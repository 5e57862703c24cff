// migrate-up, the library function behind scripts/migrate-up.ts: lock, one history read, plan, then each
// pending file applied on one connection. Runs on every dev and prod start, so the nothing-pending path
// does one lock query, one history read and reads only the applied files (to detect drift); anything
// heavier (n8n inspection, dry-run prediction) is imported only when a pending file needs it.
import { readFileSync } from "node:fs";
import type pg from "pg";
import { connectionLossReason, isConnectionLoss, withClient, withTransaction } from "../db.ts";
import { UserError } from "../errors.ts";
import type { Prediction } from "../workflows/predict.ts";
import { unresolvedReferences, type ReferenceReport } from "../workflows/report.ts";
import { applySettingsGucs, type ApplySettings } from "../workflows/apply-settings.ts";
import { ApplyInterruptedError, applyMigration, MigrationFailedError, type AppliedFile, type MigrationFailure } from "./apply.ts";
import { loadMigration, type LoadedMigration } from "./file.ts";
import { listMigrationFiles, type LocalMigration, type MigrationFolder } from "./files.ts";
import { createGroupCommit } from "./group-commit.ts";
import { ensureDigestTable, ensureHistoryTable, readHistory, statementsDigest } from "./history.ts";
import { incompleteMessage, readIncomplete, recordIncomplete } from "./incomplete.ts";
import { inspectInterruption, interruptedMessage } from "./interrupted.ts";
import { acquireMigrationLock, type MigrationLock } from "./lock.ts";
import { planFindings, planMigrations, type Plan } from "./plan.ts";
import { autocommitThroughPoolerWarning, throughIntermediary } from "./pooler.ts";
import { splitStatements } from "./split.ts";
import { needsServerVersion, transactionMode } from "./transaction-mode.ts";

export interface MigrateUpOptions {
  databaseUrl: string;
  migrationsDir: string;
  /** what workflow migrations need to know about this database (set per file as GUCs) */
  settings: ApplySettings;
  dryRun?: boolean;
  /** refuse out-of-order pending files instead of applying them with a warning */
  strictOrder?: boolean;
  /** continue past applied files whose content changed, with a warning */
  allowDrift?: boolean;
  /** how long to wait for another runner's lock (default 60 s) */
  lockWaitMs?: number;
  /** PostgreSQL lock_timeout for each file (e.g. "10s"; "0" = wait forever) */
  lockTimeout?: string | undefined;
  /** PostgreSQL statement_timeout for each file */
  statementTimeout?: string | undefined;
  /** wait this long for n8n to create its tables before the first workflow migration; else stop at once */
  waitForN8nMs?: number | undefined;
  /** plan first (as a dry run) and apply nothing when a workflow file would leave a reference unresolved */
  failOnMissingReferences?: boolean;
  onEvent?: (event: RunEvent) => void;
}

export type RunEvent =
  | { type: "warning"; message: string }
  | { type: "waiting-for-lock"; holderPid: number | null; waitMs: number }
  | { type: "waiting-for-n8n"; schema: string; waitMs: number }
  /** files are about to be applied (not emitted when nothing is pending, nor in a dry run) */
  | { type: "started"; pending: number }
  | { type: "applying"; migration: LocalMigration; autocommitReason: string | undefined }
  /** the file is applied and durable (see group-commit.ts): in file order, sometimes several at once */
  | { type: "applied"; file: AppliedFile };

export type RunStatus = "ok" | "failed" | "n8n-not-ready" | "refused" | "missing-references";

export interface PendingEntry {
  version: string;
  file: string;
  outOfOrder: boolean;
  /** starts with the workflow marker (undefined: a run stopped before reading the file) */
  workflow: boolean | undefined;
  /** autocommit reason when the file cannot run in a transaction */
  autocommit: string | undefined;
  /** dry run, workflow migrations: what the file would do to its workflow */
  prediction?: Prediction;
  /** dry run, workflow migrations: why there is no prediction (n8n not ready, header incomplete) */
  predictionProblem?: string;
  /** dry run, workflow migrations: what the file would report about its references (rehearsal.ts) */
  references?: ReferenceReport[];
  /** dry run, workflow migrations: the error the file would stop the run with */
  wouldFail?: string;
}

export interface MigrateUpResult {
  status: RunStatus;
  dryRun: boolean;
  /** files applied by this run, in order, with their workflow reports */
  applied: AppliedFile[];
  /** what was pending when the run started */
  pending: PendingEntry[];
  outOfOrder: string[];
  missingLocal: string[];
  drifted: string[];
  /** applied versions with a local file after the run */
  appliedTotal: number;
  warnings: string[];
  /** status failed */
  failure?: MigrationFailure;
  /** status refused or n8n-not-ready: what to do */
  message?: string;
  durationMs: number;
}

const DEFAULT_LOCK_WAIT_MS = 60_000;

const N8N_POLL_MS = 1_000;

export async function migrateUp(options: MigrateUpOptions): Promise<MigrateUpResult> {
  const started = performance.now();
  const emit = options.onEvent ?? (() => {});
  // The folder is read and the lock taken while the connection opens; whatever fails, the lock taken is
  // released (after the connection closed).
  const folderRead = listMigrationFiles(options.migrationsDir);
  const lockTaken = options.dryRun ? Promise.resolve(undefined) : takeLock(options, emit);
  const settled = Promise.allSettled([folderRead, lockTaken]);
  try {
    return await withClient(
      options.databaseUrl,
      async (client) => {
        const [folder, lock] = await Promise.all([folderRead, lockTaken]);
        return await run({ options, client, folder, lock, started, emit });
      },
      { applicationName: "n8n-sync migrate-up" },
    );
  } finally {
    const [, lock] = await settled;
    if (lock.status === "fulfilled") await lock.value?.release();
  }
}

interface Run {
  options: MigrateUpOptions;
  client: pg.Client;
  folder: MigrationFolder;
  lock: MigrationLock | undefined;
  started: number;
  emit: (event: RunEvent) => void;
}

/** What a run is doing, for the one line a lost connection gets. */
interface Progress {
  doing: string;
  appliedThisRun: number;
}

/**
 * The run on an open connection, holding the lock (none for a dry run). A connection lost on the way
 * becomes one line saying what was being done and what this run applied.
 */
async function run(state: Run): Promise<MigrateUpResult> {
  const progress: Progress = { doing: "while reading the migration history", appliedThisRun: 0 };
  try {
    return await runOn(state, progress);
  } catch (error) {
    if (error instanceof UserError || !isConnectionLoss(error)) throw error;
    throw new UserError(interruptedMessage({ doing: progress.doing, reason: connectionLossReason(error), appliedThisRun: progress.appliedThisRun }));
  }
}

async function runOn({ options, client, folder, lock, started, emit }: Run, progress: Progress): Promise<MigrateUpResult> {
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    emit({ type: "warning", message });
  };
  for (const line of folder.warnings) warn(line);
  // Only applied files need a digest (drift). The server's side is one short row per applied file
  // (history.ts caches digests), so the history comes first and a fresh database (every file pending)
  // reads and hashes no file for nothing.
  const history = await readHistory(client);
  const appliedVersions = new Set(history.applied.map((row) => row.version));
  const localDigests = digestFiles(folder.migrations.filter((migration) => appliedVersions.has(migration.version)));
  const plan = planMigrations(folder.migrations, history.applied, localDigests);

  const result: MigrateUpResult = {
    status: "ok",
    dryRun: options.dryRun ?? false,
    applied: [],
    pending: [],
    ...planFindings(plan),
    appliedTotal: plan.appliedCount,
    warnings,
    durationMs: 0,
  };
  const finish = (status: RunStatus = "ok", message?: string): MigrateUpResult => ({
    ...result,
    status,
    ...(message ? { message } : {}),
    durationMs: performance.now() - started,
  });

  const incomplete = history.incomplete ? await readIncomplete(client) : [];
  const refusal = incomplete.length > 0 ? incompleteMessage(incomplete) : checkPlan(plan, folder.duplicateVersions, options, warn);
  if (refusal) return finish("refused", refusal);

  const gucs = {
    ...applySettingsGucs(options.settings),
    ...(options.lockTimeout !== undefined ? { lock_timeout: options.lockTimeout } : {}),
    ...(options.statementTimeout !== undefined ? { statement_timeout: options.statementTimeout } : {}),
  };
  if (options.dryRun) {
    result.pending = await describePending(client, plan, options.settings, gucs);
    return finish();
  }
  if (options.failOnMissingReferences && plan.pending.length > 0) {
    const planned = await describePending(client, plan, options.settings, gucs);
    const unresolved = planned.reduce((count, entry) => count + unresolvedReferences(entry).length, 0);
    if (unresolved > 0) {
      result.pending = planned;
      return finish(
        "missing-references",
        `${unresolved} reference${unresolved === 1 ? "" : "s"} would stay unresolved (listed above): nothing applied (--fail-on-missing-references). Sync or create what is missing, or run without the flag`,
      );
    }
  }
  result.pending = plan.pending.map((m) => ({
    version: m.version,
    file: m.file,
    outOfOrder: plan.outOfOrder.includes(m),
    workflow: undefined,
    autocommit: undefined,
  }));
  if (plan.pending.length === 0) return finish();

  return applyPending({ options, client, lock, emit, warn, plan, result, finish, gucs, progress, historyReady: history.ready, cachesDigests: history.cachesDigests });
}

interface Applying {
  options: MigrateUpOptions;
  client: pg.Client;
  lock: MigrationLock | undefined;
  emit: (event: RunEvent) => void;
  warn: (message: string) => void;
  plan: Plan;
  result: MigrateUpResult;
  finish: (status?: RunStatus, message?: string) => MigrateUpResult;
  gucs: Record<string, string>;
  progress: Progress;
  historyReady: boolean;
  cachesDigests: boolean;
}

/** Applies the plan's pending files in order, each reported once durable; stops at the first failure. */
async function applyPending(applying: Applying): Promise<MigrateUpResult> {
  const { options, client, lock, emit, warn, plan, result, finish, gucs, progress, historyReady, cachesDigests } = applying;
  if (!historyReady) await ensureHistoryTable(client);
  const cacheDigest = await ensureDigestTable(client, cachesDigests);
  let n8nReady = false;
  let serverVersionNum: number | undefined;
  let pooled: boolean | undefined; // asked when the first file outside a transaction comes
  const group = createGroupCommit<AppliedFile>();
  // Every way out of the loop reports what it applied, once durable.
  const stop = async (status?: RunStatus, message?: string) => {
    for (const durable of await group.flush(client)) emit({ type: "applied", file: durable });
    return finish(status, message);
  };
  emit({ type: "started", pending: plan.pending.length });
  const load = (index: number) => {
    const loading = index < plan.pending.length ? loadMigration(plan.pending[index]!) : undefined;
    loading?.catch(() => {}); // awaited in its turn; a run that stops earlier never does
    return loading;
  };
  let next = load(0);
  for (const [index, local] of plan.pending.entries()) {
    progress.doing = `before applying ${local.file}`;
    if (lock?.lost) {
      throw new UserError(
        `the migration lock's connection was lost: stopped before ${local.file}; ${progress.appliedThisRun} file(s) of this run applied, nothing after them; rerun migrate-up`,
      );
    }
    const migration = (await next)!;
    result.pending[index] = pendingEntry(migration, plan);
    if (migration.workflow && !n8nReady) {
      const notReady = await waitForN8n(client, options, emit);
      if (notReady) return await stop("n8n-not-ready", `${notReady}; stopped before ${migration.file}`);
      n8nReady = true;
    }
    if (serverVersionNum === undefined && needsServerVersion(migration.statements)) {
      serverVersionNum = await queryServerVersion(client);
    }
    const mode = transactionMode(migration.statements, serverVersionNum);
    emit({ type: "applying", migration: local, autocommitReason: mode.kind === "autocommit" ? describeAutocommit(mode) : undefined });
    try {
      let settings: Record<string, string> = { ...gucs, ...group.commitSetting(index === plan.pending.length - 1) };
      if (mode.kind === "autocommit" && (pooled ??= await throughIntermediary(client))) {
        warn(autocommitThroughPoolerWarning(migration.file));
        settings = {};
      }
      const applying = applyMigration(client, migration, { settings, serverVersionNum, guardSql: lock?.guardSql, cacheDigest });
      // The file's query is on its way: read and split the next file while the server applies it.
      next = load(index + 1);
      const file = await applying;
      progress.appliedThisRun++;
      result.applied.push(file);
      result.appliedTotal++;
      for (const durable of group.committed(file)) emit({ type: "applied", file: durable });
    } catch (error) {
      if (error instanceof ApplyInterruptedError) {
        const facts = {
          doing: progress.doing,
          reason: connectionLossReason(error.cause),
          appliedThisRun: progress.appliedThisRun,
          migration,
          statement: error.statement,
          lockLost: error.lockLost,
        };
        throw new UserError(interruptedMessage(await inspectInterruption(options.databaseUrl, facts)));
      }
      if (!(error instanceof MigrationFailedError)) throw error;
      result.failure = error.failure;
      if (error.failure.appliedStatements) {
        await recordIncomplete(client, {
          version: migration.version,
          file: migration.file,
          applied_statements: error.failure.appliedStatements,
          error: `${error.failure.code ?? "ERROR"} ${error.failure.message}`,
        });
      }
      return await stop("failed");
    }
  }
  return await stop();
}

async function takeLock(options: MigrateUpOptions, emit: (event: RunEvent) => void): Promise<MigrationLock> {
  const waitMs = options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
  return acquireMigrationLock(options.databaseUrl, {
    waitMs,
    onWaiting: (holderPid) => emit({ type: "waiting-for-lock", holderPid, waitMs }),
  });
}

/**
 * Digests of the applied files that have stored statements. Synchronous reads, one file in memory at a
 * time: for a thousand small files this is several times faster than as many concurrent async reads, and
 * nothing else runs meanwhile.
 */
function digestFiles(migrations: readonly LocalMigration[]): Map<string, string> {
  const digests = new Map<string, string>();
  for (const migration of migrations) {
    const sql = readFileSync(migration.path, "utf8");
    digests.set(migration.version, statementsDigest(splitStatements(sql).map((s) => s.text)));
  }
  return digests;
}

/** Refusal message, or undefined to go on (warnings emitted). */
function checkPlan(plan: Plan, duplicates: readonly string[], options: MigrateUpOptions, warn: (line: string) => void): string | undefined {
  if (duplicates.length > 0) {
    return `more than one migration file has version ${duplicates.join(", ")}: give each file its own timestamp`;
  }
  if (plan.missingLocal.length > 0) {
    warn(`applied migrations with no local file (another branch, or deleted): ${plan.missingLocal.map((r) => r.version).join(", ")}`);
  }
  if (plan.drifted.length > 0) {
    const files = plan.drifted.map((d) => d.migration.file).join(", ");
    if (!options.allowDrift) {
      return `applied migration changed since it was applied: ${files}. Restore the file from Git, or put the change in a new migration (--allow-drift continues anyway)`;
    }
    warn(`applied migration changed since it was applied (allowed by --allow-drift): ${files}`);
  }
  if (plan.outOfOrder.length > 0) {
    const files = plan.outOfOrder.map((m) => m.file).join(", ");
    if (options.strictOrder) {
      return `pending migrations older than the newest applied one (--strict-order): ${files}. Rename them to a newer timestamp, or run without --strict-order`;
    }
    warn(`applying out of order (older than the newest applied migration): ${files}`);
  }
  return undefined;
}

function pendingEntry(migration: LoadedMigration, plan: Plan): PendingEntry {
  const mode = transactionMode(migration.statements);
  return {
    version: migration.version,
    file: migration.file,
    outOfOrder: plan.outOfOrder.some((m) => m.version === migration.version),
    workflow: migration.workflow,
    autocommit: mode.kind === "autocommit" ? describeAutocommit(mode) : undefined,
  };
}

function describeAutocommit(mode: { statement: number; reason: string }): string {
  return `statement ${mode.statement} is ${mode.reason}: runs statement by statement outside a transaction`;
}

/**
 * Dry run: each pending file, read in a READ ONLY transaction (nothing can change); then the workflow
 * files rehearsed in order in a transaction that is rolled back: what each reports (its outcome after
 * the earlier files, its references) is what a real run would. One file in memory at a time.
 */
async function describePending(client: pg.Client, plan: Plan, settings: ApplySettings, gucs: Record<string, string>): Promise<PendingEntry[]> {
  const entries = await predictPending(client, plan, settings);
  const workflowFiles = plan.pending.filter((_, index) => entries[index]!.workflow && !entries[index]!.predictionProblem);
  if (workflowFiles.length === 0) return entries;
  const [{ rehearseWorkflowFiles }, { predictionOf }] = await Promise.all([import("../workflows/rehearse.ts"), import("../workflows/predict.ts")]);
  const rehearsed = await rehearseWorkflowFiles(
    client,
    workflowFiles.map((local) => ({ file: local.file, load: async () => (await loadMigration(local)).sql })),
    gucs,
  );
  for (const { file, reports, problem } of rehearsed) {
    const entry = entries.find((e) => e.file === file)!;
    if (problem) entry.wouldFail = problem;
    else {
      // The real SQL's outcome, after the earlier pending files: several files of one workflow replay in order.
      entry.prediction = reports[0] && predictionOf(reports[0]);
      entry.references = reports.flatMap((report) => report.references ?? []);
    }
  }
  return entries;
}

async function predictPending(client: pg.Client, plan: Plan, settings: ApplySettings): Promise<PendingEntry[]> {
  return withTransaction(
    client,
    async () => {
      const entries: PendingEntry[] = [];
      let n8nProblem: string | undefined | null = null; // null: not looked at yet
      for (const local of plan.pending) {
        const migration = await loadMigration(local);
        const entry = pendingEntry(migration, plan);
        entries.push(entry);
        if (!migration.workflow) continue;
        if (n8nProblem === null) {
          const { inspectN8nSchema, notReadyMessage } = await import("../n8n/schema.ts");
          n8nProblem = (await inspectN8nSchema(client, settings.schema)).ready ? undefined : notReadyMessage(settings.schema);
        }
        if (n8nProblem) {
          entry.predictionProblem = `${n8nProblem}: a real run stops here`;
          continue;
        }
      }
      return entries;
    },
    { readOnly: true },
  );
}

/** undefined when n8n's tables are there (after waiting, if allowed); else the message to stop with. */
async function waitForN8n(client: pg.Client, options: MigrateUpOptions, emit: (event: RunEvent) => void): Promise<string | undefined> {
  const { inspectN8nSchema, notReadyMessage } = await import("../n8n/schema.ts");
  const schema = options.settings.schema;
  const deadline = Date.now() + (options.waitForN8nMs ?? 0);
  let announced = false;
  for (;;) {
    if ((await inspectN8nSchema(client, schema)).ready) return undefined;
    if (options.waitForN8nMs === undefined || Date.now() >= deadline) return notReadyMessage(schema);
    if (!announced) {
      emit({ type: "waiting-for-n8n", schema, waitMs: options.waitForN8nMs });
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, N8N_POLL_MS));
  }
}

async function queryServerVersion(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  return Number(rows[0]?.v);
}
