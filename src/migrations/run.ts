// The runner: lock, one history read, a plan (a value), then the pending files applied in order by the
// applier on one connection. Domain-free: what a file means (a workflow migration, its settings, its
// reports, what it needs first) comes from the hooks (hooks.ts). Runs on every dev and prod start, so the
// nothing-pending path does one lock query, one history read and reads only the applied files (drift).
import { readFileSync } from "node:fs";
import type pg from "pg";
import { connectionLossReason, isConnectionLoss, withClient } from "../db/db.ts";
import { UserError } from "../errors/errors.ts";
import { applyFiles, describeAutocommit, type Applied, type Progress } from "./applier.ts";
import type { MigrationFailure } from "./apply.ts";
import { loadMigration, type LoadedMigration } from "./file.ts";
import { listMigrationFiles, type LocalMigration, type MigrationFolder } from "./files.ts";
import { ensureDigestTable, ensureHistoryTable, readHistory, statementsDigest } from "./history.ts";
import type { PendingFile, RunnerHooks, RunStop } from "./hooks.ts";
import { incompleteMessage, readIncomplete } from "./incomplete.ts";
import { interruptedMessage } from "./interrupted.ts";
import { acquireMigrationLock, type MigrationLock } from "./lock.ts";
import { checkPlan, planFindings, planMigrations, type Plan } from "./plan.ts";
import { splitStatements } from "./split.ts";
import { transactionMode } from "./transaction-mode.ts";

export interface RunOptions {
  databaseUrl: string;
  migrationsDir: string;
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
  /** describe the pending files first (hooks.describe) and let hooks.refuse stop the run before any is applied */
  planFirst?: boolean;
  /** the name the connection shows in pg_stat_activity */
  applicationName?: string;
}

export type RunEvent<Facts, Report> =
  | { type: "warning"; message: string }
  | { type: "waiting-for-lock"; holderPid: number | null; waitMs: number }
  /** files are about to be applied (not emitted when nothing is pending, nor in a dry run) */
  | { type: "started"; pending: number }
  | { type: "applying"; migration: LocalMigration; autocommitReason: string | undefined }
  /** the file is applied and durable (see group-commit.ts): in file order, sometimes several at once */
  | { type: "applied"; file: Applied<Facts, Report> };

export type PendingEntry<Facts, Described> = {
  version: string;
  file: string;
  outOfOrder: boolean;
  /** autocommit reason when the file cannot run in a transaction */
  autocommit: string | undefined;
} & (Facts | { [K in keyof Facts]?: undefined }) &
  Partial<Described>;

export interface RunResult<Facts, Report, Described, Status extends string> {
  status: "ok" | "failed" | "refused" | Status;
  dryRun: boolean;
  /** files applied by this run, in order, with their reports */
  applied: Applied<Facts, Report>[];
  /** what was pending when the run started */
  pending: PendingEntry<Facts, Described>[];
  outOfOrder: string[];
  missingLocal: string[];
  drifted: string[];
  /** applied versions with a local file after the run */
  appliedTotal: number;
  warnings: string[];
  /** status failed */
  failure?: MigrationFailure;
  /** status refused or a hook's stop: what to do */
  message?: string;
  durationMs: number;
}

const DEFAULT_LOCK_WAIT_MS = 60_000;

export async function runMigrations<Facts extends object, Report, Described extends object, Status extends string>(
  options: RunOptions,
  hooks: RunnerHooks<Facts, Report, Described, Status>,
  onEvent: (event: RunEvent<Facts, Report>) => void = () => {},
): Promise<RunResult<Facts, Report, Described, Status>> {
  const started = performance.now();
  // The folder is read and the lock taken while the connection opens; whatever fails, the lock taken is
  // released (after the connection closed).
  const folderRead = listMigrationFiles(options.migrationsDir);
  const lockTaken = options.dryRun ? Promise.resolve(undefined) : takeLock(options, onEvent);
  const settled = Promise.allSettled([folderRead, lockTaken]);
  try {
    return await withClient(
      options.databaseUrl,
      async (client) => {
        const [folder, lock] = await Promise.all([folderRead, lockTaken]);
        const progress: Progress = { doing: "while reading the migration history", appliedThisRun: 0 };
        try {
          return await run({ options, hooks, client, folder, lock, started, emit: onEvent, progress });
        } catch (error) {
          // A connection lost on the way becomes one line saying what was being done and what this run applied.
          if (error instanceof UserError || !isConnectionLoss(error)) throw error;
          throw new UserError(interruptedMessage({ doing: progress.doing, reason: connectionLossReason(error), appliedThisRun: progress.appliedThisRun }));
        }
      },
      { applicationName: options.applicationName ?? "n8n-sync migrate-up" },
    );
  } finally {
    const [, lock] = await settled;
    if (lock.status === "fulfilled") await lock.value?.release();
  }
}

interface Run<Facts extends object, Report, Described extends object, Status extends string> {
  options: RunOptions;
  hooks: RunnerHooks<Facts, Report, Described, Status>;
  client: pg.Client;
  folder: MigrationFolder;
  lock: MigrationLock | undefined;
  started: number;
  emit: (event: RunEvent<Facts, Report>) => void;
  progress: Progress;
}

async function run<Facts extends object, Report, Described extends object, Status extends string>(
  state: Run<Facts, Report, Described, Status>,
): Promise<RunResult<Facts, Report, Described, Status>> {
  const { options, hooks, client, folder, lock, emit, progress } = state;
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

  const base = { dryRun: options.dryRun ?? false, ...planFindings(plan), warnings };
  const applied: Applied<Facts, Report>[] = [];
  const finish = (
    status: RunResult<Facts, Report, Described, Status>["status"],
    pending: PendingEntry<Facts, Described>[],
    extra: { message?: string; failure?: MigrationFailure } = {},
  ): RunResult<Facts, Report, Described, Status> => ({
    status,
    ...base,
    applied,
    pending,
    appliedTotal: plan.appliedCount + applied.length,
    ...extra,
    durationMs: performance.now() - state.started,
  });

  const incomplete = history.incomplete ? await readIncomplete(client) : [];
  const refusal = incomplete.length > 0 ? incompleteMessage(incomplete) : checkPlan(plan, folder.duplicateVersions, options, warn);
  if (refusal) return finish("refused", [], { message: refusal });

  if (options.dryRun) return finish("ok", await describePending(client, plan, hooks));
  if (options.planFirst && plan.pending.length > 0 && hooks.refuse) {
    const described = await describePending(client, plan, hooks);
    const stop = hooks.refuse(described as Described[]);
    if (stop) return finish(stop.status, described, { message: stop.message });
  }

  const pending: PendingEntry<Facts, Described>[] = plan.pending.map((m) => ({ ...entryOf(m, plan, undefined), ...hooks.unknownFacts }) as PendingEntry<Facts, Described>);
  const baseSettings = {
    ...(options.lockTimeout !== undefined ? { lock_timeout: options.lockTimeout } : {}),
    ...(options.statementTimeout !== undefined ? { statement_timeout: options.statementTimeout } : {}),
  };
  const held = { client, guardSql: lock?.guardSql, baseSettings, warn };
  if (plan.pending.length === 0) {
    const stop = await hooks.beforePending?.(held);
    return stop ? finish(stop.status, pending, { message: stop.message }) : finish("ok", pending);
  }
  if (!history.ready) await ensureHistoryTable(client);
  const cacheDigest = await ensureDigestTable(client, history.cachesDigests);
  const stop = await hooks.beforePending?.(held);
  if (stop) return finish(stop.status, pending, { message: stop.message });
  emit({ type: "started", pending: plan.pending.length });
  const outcome = await applyFiles(
    {
      client,
      databaseUrl: options.databaseUrl,
      lock,
      hooks: hooks as RunnerHooks<Facts, Report, object, Status>,
      baseSettings,
      cacheDigest,
      progress,
      events: {
        applying: (migration, autocommitReason) => emit({ type: "applying", migration, autocommitReason }),
        applied: (file) => {
          applied.push(file);
          emit({ type: "applied", file });
        },
        loaded: (index, migration, facts) => {
          pending[index] = entryOf(migration, plan, facts) as PendingEntry<Facts, Described>;
        },
        warn,
      },
    },
    plan.pending,
  );
  if (outcome.status === "ok") return finish("ok", pending);
  if (outcome.status === "failed") return finish("failed", pending, { failure: (outcome as { failure: MigrationFailure }).failure });
  return finish(outcome.status, pending, { message: (outcome as RunStop<Status>).message });
}

async function takeLock<Facts, Report>(options: RunOptions, emit: (event: RunEvent<Facts, Report>) => void): Promise<MigrationLock> {
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

/** A pending file's entry; once the file was read, also its autocommit reason and the domain's facts. */
function entryOf<Facts>(migration: LocalMigration | LoadedMigration, plan: Plan, facts: Facts | undefined) {
  const mode = "statements" in migration ? transactionMode(migration.statements) : undefined;
  return {
    version: migration.version,
    file: migration.file,
    outOfOrder: plan.outOfOrder.some((m) => m.version === migration.version),
    ...facts,
    autocommit: mode?.kind === "autocommit" ? describeAutocommit(mode) : undefined,
  };
}

/** Dry run (or planFirst): each pending file read (one in memory at a time), then the hooks' description of what each would do. */
async function describePending<Facts extends object, Report, Described extends object, Status extends string>(
  client: pg.Client,
  plan: Plan,
  hooks: RunnerHooks<Facts, Report, Described, Status>,
): Promise<PendingEntry<Facts, Described>[]> {
  const files: PendingFile<Facts>[] = [];
  const entries: PendingEntry<Facts, Described>[] = [];
  for (const local of plan.pending) {
    const migration = await loadMigration(local);
    const facts = hooks.factsOf(migration.sql);
    entries.push(entryOf(migration, plan, facts) as PendingEntry<Facts, Described>);
    files.push({ file: local.file, version: local.version, facts, load: async () => await loadMigration(local) });
  }
  if (!hooks.describe || files.length === 0) return entries;
  const described = await hooks.describe(client, files);
  return entries.map((entry, index) => ({ ...entry, ...described[index] }));
}
