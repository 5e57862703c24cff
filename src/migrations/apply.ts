// Applies one migration file on the runner's connection, all or nothing: the session is reset, the
// settings set, the file's text and its history row sent as ONE multi-statement query between BEGIN and
// COMMIT (one round trip; PostgreSQL parses the file itself, so what runs is exactly what is written).
// Error positions come back relative to that text and map straight to the file; an error without a
// position (a constraint, a RAISE) is located by replaying the statements one by one in a transaction
// that is rolled back. Files that cannot run in a transaction run statement by statement in autocommit.
import type pg from "pg";
import { isConnectionLoss, quoteLiteral } from "../db/db.ts";
import type { LoadedMigration } from "./file.ts";
import { insertHistorySql } from "./history.ts";
import { LOCK_LOST_CODE } from "./lock.ts";
import { boundText, lineWindow } from "./excerpt.ts";
import { codePointPositionToIndex, positionAt, statementAt } from "./split.ts";
import { transactionMode, type TransactionMode } from "./transaction-mode.ts";

/** A NOTICE (or WARNING) the server sent while the file ran. */
export interface Notice {
  message?: string;
  detail?: string;
  severity?: string;
}

export interface ApplyOptions<Report> {
  /** GUC name -> value, set for the file only (n8n_sync.*, lock_timeout, statement_timeout) */
  settings: Readonly<Record<string, string>>;
  /** server_version_num, when the file's mode depends on it */
  serverVersionNum?: number | undefined;
  /** run last in the file's transaction (before an autocommit file): raises LOCK_LOST_CODE once the migration lock is gone */
  guardSql?: string | undefined;
  /** also write the file's digest to the digest cache (history.ts) */
  cacheDigest: boolean;
  /** a NOTICE as the domain's report (hooks.ts reportOf); undefined: not one */
  reportOf(notice: Notice): Report | undefined;
}

/**
 * A transactional file that hit lock_timeout (55P03) is retried from scratch this many times, after 1 s,
 * then 2 s: a short lock_timeout keeps an ALTER from queueing every other query behind it, and a retry
 * rides out the moment n8n held the row or table.
 */
const LOCK_RETRIES = 2;
const RETRY_DELAY_MS = 1000;

export interface AppliedFile<Report> {
  version: string;
  file: string;
  mode: TransactionMode;
  statements: number;
  /** the domain's reports its NOTICEs carried (one per workflow of a workflow migration) */
  reports: Report[];
  /** other WARNING-level notices, one line each */
  warnings: string[];
  durationMs: number;
}

export interface MigrationFailure {
  file: string;
  version: string;
  /** 1-based; undefined when the failing statement could not be found (history row, or not reproducible) */
  statement: number | undefined;
  statementCount: number;
  line: number | undefined;
  column: number | undefined;
  /** the file's line at the error (a bounded window of it), for the message */
  sourceLine: string | undefined;
  /** 1-based column of the error within sourceLine */
  sourceColumn?: number | undefined;
  code: string | undefined;
  message: string;
  detail: string | undefined;
  hint: string | undefined;
  where: string | undefined;
  /** autocommit files: statements that were applied before the failure and remain */
  appliedStatements: number | undefined;
}

export class MigrationFailedError extends Error {
  override name = "MigrationFailedError";
  constructor(readonly failure: MigrationFailure) {
    super(`${failure.file}: ${failure.message}`);
  }
}

/** The file did not fail: its connection did (cut, server restart), or the migration lock was lost. */
export class ApplyInterruptedError extends Error {
  override name = "ApplyInterruptedError";
  constructor(
    readonly migration: LoadedMigration,
    /** autocommit files: the 1-based statement that was running (the ones before it stay applied) */
    readonly statement: number | undefined,
    readonly lockLost: boolean,
    override readonly cause: unknown,
  ) {
    super(`${migration.file}: ${(cause as Error).message}`);
  }
}

interface PgError {
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
  where?: string;
  position?: string;
}

/** DISCARD ALL spelled out: DISCARD ALL itself cannot run in the implicit transaction of a multi-statement query. */
const SESSION_RESET = [
  "SET SESSION AUTHORIZATION DEFAULT",
  "RESET ALL",
  "CLOSE ALL",
  "UNLISTEN *",
  "SELECT pg_advisory_unlock_all()",
  "DISCARD PLANS",
  "DISCARD TEMP",
  "DISCARD SEQUENCES",
].join(";\n");

export async function applyMigration<Report>(client: pg.Client, migration: LoadedMigration, options: ApplyOptions<Report>): Promise<AppliedFile<Report>> {
  const started = performance.now();
  const mode = transactionMode(migration.statements, options.serverVersionNum);
  const reports: Report[] = [];
  const warnings: string[] = [];
  const onNotice = (notice: Notice) => {
    const report = options.reportOf(notice);
    if (report) reports.push(report);
    else if (notice.severity === "WARNING") warnings.push(notice.message ?? "");
  };
  client.on("notice", onNotice);
  try {
    if (mode.kind === "transaction") {
      await applyInTransaction(client, migration, options, () => {
        reports.length = 0;
        warnings.length = 0;
      });
    } else {
      await applyInAutocommit(client, migration, options);
    }
  } finally {
    client.off("notice", onNotice);
  }
  return {
    version: migration.version,
    file: migration.file,
    mode,
    statements: migration.statements.length,
    reports,
    warnings,
    durationMs: performance.now() - started,
  };
}

function setConfigSql(settings: Readonly<Record<string, string>>, local: boolean): string {
  const calls = Object.entries(settings).map(([name, value]) => `set_config(${quoteLiteral(name)}, ${quoteLiteral(value)}, ${local})`);
  return calls.length > 0 ? `SELECT ${calls.join(", ")}` : "SELECT";
}

/**
 * Files up to this many characters go as one query (prefix + file + history row + COMMIT). Bigger ones go
 * as four (prefix, the file text as read, history row, COMMIT), so no concatenated copy of a 20 MB text is
 * ever made: peak memory stays a small multiple of the file (measured: +100 MB RSS for a 20 MB file).
 */
const ONE_QUERY_LIMIT = 1 << 20;

async function applyInTransaction(client: pg.Client, migration: LoadedMigration, options: ApplyOptions<unknown>, onRetry: () => void): Promise<void> {
  const prefix = `${SESSION_RESET};\nBEGIN;\n${setConfigSql(options.settings, true)};\n`;
  // The history row and the lock check are inside the file's transaction: the file, its row and the
  // proof that no other runner could be applying it commit together or not at all. Before them, the
  // file's own session-level SETs are undone: they would take effect at COMMIT and stay on the server
  // connection, which a transaction-mode pooler then hands to other clients; this file's settings are
  // set again for its commit (synchronous_commit).
  const closing = `SET SESSION AUTHORIZATION DEFAULT;\nRESET ALL;\n${setConfigSql(options.settings, true)};\n`;
  const guard = options.guardSql ? `;\n${options.guardSql}` : "";
  const history = () => `${closing}${insertHistorySql(migration.version, migration.name, migration.statements.map((s) => s.text), options.cacheDigest)}${guard}`;
  const oneQuery = migration.sql.length <= ONE_QUERY_LIMIT;
  for (let attempt = 0; ; attempt++) {
    // PostgreSQL counts error positions from the start of the query holding the file.
    let fileStart = 0;
    try {
      if (oneQuery) {
        fileStart = codePointCount(prefix);
        await client.query(`${prefix}${migration.sql}\n;\n${history()};\nCOMMIT`);
      } else {
        await client.query(prefix);
        await client.query(migration.sql);
        fileStart = -1; // an error now is not in the file
        await client.query(history());
        await client.query("COMMIT");
      }
      return;
    } catch (error) {
      if (isConnectionLoss(error)) throw new ApplyInterruptedError(migration, undefined, false, error);
      await client.query("ROLLBACK").catch(() => {});
      const err = error as PgError;
      if (err.code === LOCK_LOST_CODE) throw new ApplyInterruptedError(migration, undefined, true, error);
      if (err.code === "55P03" && attempt < LOCK_RETRIES) {
        onRetry();
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * (attempt + 1)));
        continue;
      }
      if (err.code === undefined) throw error; // not a PostgreSQL error: as it is
      const failure = await locateFailure(client, migration, options, err, fileStart).catch((replayError: unknown) => {
        throw isConnectionLoss(replayError) ? new ApplyInterruptedError(migration, undefined, false, replayError) : replayError;
      });
      throw new MigrationFailedError(failure);
    }
  }
}

/** Where in the file a failure of the one-query apply happened. */
async function locateFailure(
  client: pg.Client,
  migration: LoadedMigration,
  options: ApplyOptions<unknown>,
  err: PgError,
  /** code points before the file in the failed query; -1: the error came from another query */
  fileStart: number,
): Promise<MigrationFailure> {
  if (err.position && fileStart >= 0) {
    const offset = codePointPositionToIndex(migration.sql, Number(err.position) - fileStart);
    if (Number(err.position) > fileStart && offset < migration.sql.length) {
      return failureAt(migration, err, statementAt(migration.statements, offset), offset);
    }
  }
  // Replay statement by statement in a transaction that is rolled back, to find which one fails.
  let replayed: { index: number; error: PgError } | undefined;
  const mute = () => {};
  client.on("notice", mute);
  try {
    await client.query(`${SESSION_RESET};\nBEGIN;\n${setConfigSql(options.settings, true)}`);
    for (const [index, statement] of migration.statements.entries()) {
      try {
        await client.query(statement.text);
      } catch (error) {
        if ((error as PgError).code === undefined) throw error;
        replayed = { index, error: error as PgError };
        break;
      }
    }
  } finally {
    await client.query("ROLLBACK").catch(() => {});
    client.off("notice", mute);
  }
  if (!replayed) return failureAt(migration, err, undefined, undefined);
  const statement = migration.statements[replayed.index]!;
  const within = replayed.error.position ? codePointPositionToIndex(statement.text, Number(replayed.error.position)) : 0;
  return failureAt(migration, replayed.error, replayed.index, statement.start + within);
}

function codePointCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function failureAt(
  migration: LoadedMigration,
  err: PgError,
  index: number | undefined,
  offset: number | undefined,
  appliedStatements?: number,
): MigrationFailure {
  const position = offset === undefined ? undefined : positionAt(migration.sql, offset, index === undefined ? undefined : {
    offset: migration.statements[index]!.start,
    line: migration.statements[index]!.line,
    column: migration.statements[index]!.column,
  });
  return {
    file: migration.file,
    version: migration.version,
    statement: index === undefined ? undefined : index + 1,
    statementCount: migration.statements.length,
    line: position?.line,
    column: position?.column,
    ...sourceExcerpt(migration.sql, offset, position?.column),
    code: err.code,
    message: boundText(err.message),
    detail: err.detail === undefined ? undefined : boundText(err.detail),
    hint: err.hint === undefined ? undefined : boundText(err.hint),
    where: err.where === undefined ? undefined : boundText(err.where),
    appliedStatements,
  };
}

/** The failing line, a bounded window of it around the error (excerpt.ts). */
function sourceExcerpt(sql: string, offset: number | undefined, column: number | undefined): Pick<MigrationFailure, "sourceLine" | "sourceColumn"> {
  if (offset === undefined) return { sourceLine: undefined };
  const start = sql.lastIndexOf("\n", offset - 1) + 1;
  const end = sql.indexOf("\n", offset);
  const window = lineWindow(sql.slice(start, end === -1 ? undefined : end).replace(/\r$/, ""), column);
  return { sourceLine: window.text, sourceColumn: window.column };
}

async function applyInAutocommit(client: pg.Client, migration: LoadedMigration, options: ApplyOptions<unknown>): Promise<void> {
  try {
    await client.query(`${SESSION_RESET};\n${setConfigSql(options.settings, false)}${options.guardSql ? `;\n${options.guardSql}` : ""}`);
  } catch (error) {
    const lockLost = (error as PgError).code === LOCK_LOST_CODE;
    if (lockLost || isConnectionLoss(error)) throw new ApplyInterruptedError(migration, undefined, lockLost, error);
    throw error;
  }
  try {
    for (const [index, statement] of migration.statements.entries()) {
      try {
        await client.query(statement.text);
      } catch (error) {
        if (isConnectionLoss(error)) throw new ApplyInterruptedError(migration, index + 1, false, error);
        const err = error as PgError;
        if (err.code === undefined) throw error;
        // A file managing its own transactions may have left one open and aborted.
        await client.query("ROLLBACK").catch(() => {});
        const within = err.position ? codePointPositionToIndex(statement.text, Number(err.position)) : 0;
        throw new MigrationFailedError(failureAt(migration, err, index, statement.start + within, index));
      }
    }
    try {
      await client.query(insertHistorySql(migration.version, migration.name, migration.statements.map((s) => s.text), options.cacheDigest));
    } catch (error) {
      if (isConnectionLoss(error)) throw new ApplyInterruptedError(migration, migration.statements.length + 1, false, error);
      throw error;
    }
  } finally {
    await client.query("RESET ALL").catch(() => {});
  }
}
