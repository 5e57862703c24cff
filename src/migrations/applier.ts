// The apply half of a run: owns the lock check, group commit and the run's progress, and applies the
// plan's pending files one by one on the run's connection. Each applied file is reported once durable
// (group-commit.ts); every way out (done, a failed file, a hook's stop) flushes first.
import type pg from "pg";
import { connectionLossReason } from "../db/db.ts";
import { UserError } from "../errors/errors.ts";
import { ApplyInterruptedError, applyMigration, MigrationFailedError, type AppliedFile, type MigrationFailure } from "./apply.ts";
import { loadMigration, type LoadedMigration } from "./file.ts";
import type { LocalMigration } from "./files.ts";
import { createGroupCommit } from "./group-commit.ts";
import type { RunnerHooks, RunStop } from "./hooks.ts";
import { recordIncomplete } from "./incomplete.ts";
import { inspectInterruption, interruptedMessage } from "./interrupted.ts";
import type { MigrationLock } from "./lock.ts";
import { autocommitThroughPoolerWarning, throughIntermediary } from "./pooler.ts";
import { needsServerVersion, transactionMode, type TransactionMode } from "./transaction-mode.ts";

/** What a run is doing, for the one line a lost connection gets. */
export interface Progress {
  doing: string;
  appliedThisRun: number;
}

export type Applied<Facts, Report> = AppliedFile<Report> & Facts;

export interface ApplierEvents<Facts, Report> {
  applying(migration: LocalMigration, autocommitReason: string | undefined): void;
  /** in file order, once durable, sometimes several at once */
  applied(file: Applied<Facts, Report>): void;
  /** a pending file was read (its facts known) */
  loaded(index: number, migration: LoadedMigration, facts: Facts): void;
  warn(message: string): void;
}

export interface ApplierSetup<Facts extends object, Report, Status extends string> {
  client: pg.Client;
  databaseUrl: string;
  lock: MigrationLock | undefined;
  hooks: RunnerHooks<Facts, Report, object, Status>;
  /** settings every file gets (lock_timeout, statement_timeout) */
  baseSettings: Readonly<Record<string, string>>;
  cacheDigest: boolean;
  progress: Progress;
  events: ApplierEvents<Facts, Report>;
}

export type ApplyOutcome<Status extends string> =
  | { status: "ok" }
  | { status: "failed"; failure: MigrationFailure }
  | RunStop<Status>;

/** Applies `pending` in order; stops at the first failure or hook stop. Throws UserError when interrupted. */
export async function applyFiles<Facts extends object, Report, Status extends string>(
  setup: ApplierSetup<Facts, Report, Status>,
  pending: readonly LocalMigration[],
): Promise<ApplyOutcome<Status>> {
  const { client, lock, hooks, progress, events } = setup;
  const group = createGroupCommit<Applied<Facts, Report>>();
  let serverVersionNum: number | undefined;
  let pooled: boolean | undefined; // asked when the first file outside a transaction comes
  const stop = async <T extends ApplyOutcome<Status>>(outcome: T): Promise<T> => {
    for (const durable of await group.flush(client)) events.applied(durable);
    return outcome;
  };
  const load = (index: number) => {
    const loading = index < pending.length ? loadMigration(pending[index]!) : undefined;
    loading?.catch(() => {}); // awaited in its turn; a run that stops earlier never does
    return loading;
  };
  let next = load(0);
  for (const [index, local] of pending.entries()) {
    progress.doing = `before applying ${local.file}`;
    if (lock?.lost) {
      throw new UserError(
        `the migration lock's connection was lost: stopped before ${local.file}; ${progress.appliedThisRun} file(s) of this run applied, nothing after them; rerun migrate-up`,
      );
    }
    const loaded = (await next)!;
    const facts = hooks.factsOf(loaded.sql);
    const migration = { ...loaded, ...facts };
    events.loaded(index, loaded, facts);
    const held = await hooks.beforeFile?.(client, migration);
    if (held) return await stop({ ...held, message: `${held.message}; stopped before ${migration.file}` });
    if (serverVersionNum === undefined && needsServerVersion(migration.statements)) {
      serverVersionNum = await queryServerVersion(client);
    }
    const mode = transactionMode(migration.statements, serverVersionNum);
    events.applying(local, mode.kind === "autocommit" ? describeAutocommit(mode) : undefined);
    try {
      let settings: Record<string, string> = { ...setup.baseSettings, ...hooks.settingsFor(facts), ...group.commitSetting(index === pending.length - 1) };
      if (mode.kind === "autocommit" && (pooled ??= await throughIntermediary(client))) {
        events.warn(autocommitThroughPoolerWarning(migration.file));
        settings = {};
      }
      const applying = applyMigration(client, migration, {
        settings,
        serverVersionNum,
        guardSql: lock?.guardSql,
        cacheDigest: setup.cacheDigest,
        reportOf: hooks.reportOf,
      });
      // The file's query is on its way: read and split the next file while the server applies it.
      next = load(index + 1);
      const file = { ...(await applying), ...facts };
      progress.appliedThisRun++;
      for (const durable of group.committed(file)) events.applied(durable);
    } catch (error) {
      if (error instanceof ApplyInterruptedError) {
        const interruption = {
          doing: progress.doing,
          reason: connectionLossReason(error.cause),
          appliedThisRun: progress.appliedThisRun,
          migration,
          statement: error.statement,
          lockLost: error.lockLost,
        };
        throw new UserError(interruptedMessage(await inspectInterruption(setup.databaseUrl, interruption)));
      }
      if (!(error instanceof MigrationFailedError)) throw error;
      if (error.failure.appliedStatements) {
        await recordIncomplete(client, {
          version: migration.version,
          file: migration.file,
          applied_statements: error.failure.appliedStatements,
          error: `${error.failure.code ?? "ERROR"} ${error.failure.message}`,
        });
      }
      return await stop({ status: "failed", failure: error.failure });
    }
  }
  return await stop({ status: "ok" });
}

export function describeAutocommit(mode: Extract<TransactionMode, { kind: "autocommit" }>): string {
  return `statement ${mode.statement} is ${mode.reason}: runs statement by statement outside a transaction`;
}

async function queryServerVersion(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
  return Number(rows[0]?.v);
}
