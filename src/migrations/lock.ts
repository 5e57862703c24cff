// One migrate-up at a time per database: a session advisory lock on a connection of its own, taken by
// polling pg_try_advisory_lock. Polling (never the blocking pg_advisory_lock) matters: a runner blocked in
// pg_advisory_lock holds a snapshot, and the holder's CREATE INDEX CONCURRENTLY waits for every older
// snapshot -> both wait forever. The holder's lock connection stays idle outside any transaction, so it
// holds no snapshot and never delays the holder's own CONCURRENTLY statements.
import { ExitCode, UserError } from "../errors.ts";
import { connect } from "../db.ts";

/** 'n8nsync' as a bigint: a fixed key in our own namespace (pg_locks shows classid 7223406, objid 1937337955). */
export const MIGRATION_LOCK_KEY = "31024294473068131";
const CLASS_ID = 7223406;
const OBJ_ID = 1937337955;

const TRY_LOCK = `SELECT pg_try_advisory_lock(${MIGRATION_LOCK_KEY}) AS locked,
  (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = ${CLASS_ID} AND objid = ${OBJ_ID}
     AND objsubid = 1 AND granted
     -- advisory locks are per database: a runner on another database of the server is not the holder
     AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) LIMIT 1) AS holder`;

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
  try {
    const deadline = now() + options.waitMs;
    let announced = false;
    for (;;) {
      const { rows } = await client.query<{ locked: boolean; holder: number | null }>(TRY_LOCK);
      if (rows[0]?.locked) break;
      if (!announced) {
        options.onWaiting?.(rows[0]?.holder ?? null);
        announced = true;
      }
      if (now() >= deadline) {
        const holder = rows[0]?.holder ? ` (pid ${rows[0].holder})` : "";
        throw new UserError(
          `another migrate-up${holder} held the migration lock for more than ${Math.round(options.waitMs / 1000)} s: ` +
            "let it finish, or raise --lock-wait",
          ExitCode.LOCK_TIMEOUT,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return {
    get lost() {
      return lost;
    },
    async release() {
      // Ending the session releases the lock too; unlocking first makes it visible at once.
      await client.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`).catch(() => {});
      await client.end().catch(() => {});
    },
  };
}
