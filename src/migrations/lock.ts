// One migrate-up at a time per database: an advisory lock held by a transaction that stays open on a
// connection of its own, taken by polling pg_try_advisory_xact_lock.
// - An open transaction pins one server connection through a transaction-mode pooler (PgBouncer
//   pool_mode=transaction, Supabase's port 6543), so the lock holds there too; a session lock would be
//   held by whichever server connection answered, then handed to other clients (and released by their
//   resets). Directly and through a session pooler it behaves as a session lock would.
// - The transaction is READ COMMITTED and idle between statements, so it holds no snapshot: the holder's
//   own CREATE INDEX CONCURRENTLY never waits for it. Polling (never the blocking pg_advisory_lock)
//   matters for the same reason: a runner blocked in pg_advisory_lock holds a snapshot, and the holder's
//   CREATE INDEX CONCURRENTLY waits for every older snapshot -> both wait forever.
// - The holder's backend pid is known, so each file's transaction checks, just before its COMMIT, that
//   the lock is still held (lockGuardSql): a lock lost mid-file (connection cut) rolls the file back
//   instead of letting a second runner apply it at the same time.
// - When the holder dies its connection closes, the transaction ends and the lock is free at once.
import { ExitCode, UserError } from "../errors/errors.ts";
import { connect, connectionLossReason, isConnectionLoss } from "../db/db.ts";

/** 'n8nsync' as a bigint: a fixed key in our own namespace (pg_locks shows classid 7223406, objid 1937337955). */
export const MIGRATION_LOCK_KEY = "31024294473068131";
const CLASS_ID = 7223406;
const OBJ_ID = 1937337955;

/** SQLSTATE raised by lockGuardSql when this runner no longer holds the lock. */
export const LOCK_LOST_CODE = "NS001";

const HELD_BY = (pid: string) => `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = ${CLASS_ID} AND objid = ${OBJ_ID}
     AND objsubid = 1 AND granted AND pid = ${pid}
     -- advisory locks are per database: a runner on another database of the server is not the holder
     AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

// An idle-in-transaction timeout set on the server or role would end the holder's transaction mid-run.
const TRY_LOCK = `BEGIN;
SET LOCAL idle_in_transaction_session_timeout = 0;
SELECT pg_try_advisory_xact_lock(${MIGRATION_LOCK_KEY}) AS locked, pg_backend_pid() AS pid`;
const HOLDER = `ROLLBACK;
SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = ${CLASS_ID} AND objid = ${OBJ_ID}
  AND objsubid = 1 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1`;

export interface LockOptions {
  /** how long to wait for another runner, in milliseconds */
  waitMs: number;
  pollMs?: number;
  /** called once, when the lock is taken by someone else */
  onWaiting?: (holderPid: number | null) => void;
  now?: () => number;
}

export interface MigrationLock {
  /** the lock connection ended: the lock is gone, stop before the next file */
  readonly lost: boolean;
  /** SQL for the end of each file's transaction: raises LOCK_LOST_CODE unless this lock is still held */
  readonly guardSql: string;
  release(): Promise<void>;
}

export async function acquireMigrationLock(databaseUrl: string, options: LockOptions): Promise<MigrationLock> {
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 200;
  const client = await connect(databaseUrl, { applicationName: "n8n-sync migrate-up lock" });
  let lost = false;
  client.on("end", () => {
    lost = true;
  });
  let pid: number;
  try {
    const deadline = now() + options.waitMs;
    let announced = false;
    for (;;) {
      const results = (await client.query(TRY_LOCK)) as unknown as Array<{ rows: Array<{ locked: boolean; pid: number }> }>;
      const row = results.at(-1)!.rows[0]!;
      if (row.locked) {
        pid = row.pid;
        break;
      }
      const holder = ((await client.query(HOLDER)) as unknown as Array<{ rows: Array<{ pid: number }> }>).at(-1)!.rows[0]?.pid ?? null;
      if (!announced) {
        options.onWaiting?.(holder);
        announced = true;
      }
      if (now() >= deadline) {
        throw new UserError(
          `another migrate-up${holder ? ` (pid ${holder})` : ""} held the migration lock for more than ${Math.round(options.waitMs / 1000)} s: ` +
            "let it finish, or raise --lock-wait",
          ExitCode.LOCK_TIMEOUT,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } catch (error) {
    await client.end().catch(() => {});
    if (isConnectionLoss(error)) {
      throw new UserError(`the database connection was lost while taking the migration lock (${connectionLossReason(error)}): nothing was applied; rerun`);
    }
    throw error;
  }
  const guardSql = `DO $n8n_sync_lock$ BEGIN IF NOT EXISTS (${HELD_BY(String(pid))}) THEN
  RAISE EXCEPTION 'the migration lock was lost (its connection ended)' USING ERRCODE = '${LOCK_LOST_CODE}';
END IF; END $n8n_sync_lock$`;
  return {
    get lost() {
      return lost;
    },
    guardSql,
    async release() {
      // Ending the session ends the transaction and so the lock; rolling back first frees it at once.
      await client.query("ROLLBACK").catch(() => {});
      await client.end().catch(() => {});
    },
  };
}
