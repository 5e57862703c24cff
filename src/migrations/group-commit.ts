// When an applied file may be reported: only once it is durable. Waiting for the WAL flush of every
// file's commit (one fsync each) costs more than applying most files, so files commit with
// synchronous_commit off and the run makes them durable in groups: a file's commit is synchronous when
// the last durable point is DURABLE_EVERY_MS old, and always for the run's last file; a synchronous
// commit flushes the WAL up to its own record, so every earlier commit becomes durable with it. Files
// are held until then and released together.
//
// Why this is safe: each file and its history row commit in one transaction, so whatever is lost is lost
// whole. Killing the runner (kill -9, a lost connection) loses nothing committed: the server flushes
// asynchronous commits itself within 3 x wal_writer_delay. Only a crash of the server itself can lose the
// last unflushed commits, files and history rows together; none of them was reported, and the next run
// finds them pending and applies them, each exactly once.
import type pg from "pg";

/** How stale the last durable point may get before a file's commit waits for the flush. */
export const DURABLE_EVERY_MS = 1_000;

/**
 * A transaction committed synchronously that writes one WAL record: a WAL flush. It must write WAL: a
 * commit of a transaction that wrote none (an xid from txid_current() alone) is never flushed, whatever
 * synchronous_commit says. A transactional logical message is that record (any wal_level, no privilege
 * beyond PUBLIC's, no table touched; logical decoding consumers skip the unknown prefix).
 */
const FLUSH = "BEGIN;\nSET LOCAL synchronous_commit = on;\nSELECT pg_logical_emit_message(true, 'n8n-sync', 'flush');\nCOMMIT";

export interface GroupCommit<T> {
  /** synchronous_commit for the next file's transaction (`last`: the run's last file) */
  commitSetting(last: boolean): { synchronous_commit: "on" | "off" };
  /** the file committed with the setting just given; returns what is durable now, in order */
  committed(item: T): T[];
  /** makes every commit so far durable; returns what was held, in order */
  flush(client: pg.Client): Promise<T[]>;
}

export function createGroupCommit<T>(now: () => number = () => performance.now()): GroupCommit<T> {
  let held: T[] = [];
  let durableAt = now();
  let synchronous = false;
  const release = () => {
    const out = held;
    held = [];
    durableAt = now();
    return out;
  };
  return {
    commitSetting: (last) => {
      synchronous = last || now() - durableAt >= DURABLE_EVERY_MS;
      return { synchronous_commit: synchronous ? "on" : "off" };
    },
    committed: (item) => {
      held.push(item);
      return synchronous ? release() : [];
    },
    flush: async (client) => {
      if (held.length > 0) await client.query(FLUSH);
      return release();
    },
  };
}
