// What a run says when its connection failed mid-run (cut, failover, server restart, pooler timeout, the
// lock's connection gone). The facts are gathered once, on a fresh connection if the server answers:
// whether the file being applied landed (its history row commits with it) and, for a file running
// outside a transaction, a fail-closed record of how far it got (see incomplete.ts).
import { connect } from "../db/db.ts";
import type { LoadedMigration } from "./file.ts";
import { HISTORY_TABLE } from "./history.ts";
import { recordIncomplete } from "./incomplete.ts";

export interface Interruption {
  /** what the run was doing, e.g. "reading the migration history", "before applying x.sql" */
  doing: string;
  reason: string;
  /** files this run applied before the interruption */
  appliedThisRun: number;
  /** the file being applied, if any */
  migration?: LoadedMigration | undefined;
  /** autocommit files: the 1-based statement that was running (count + 1: its history row) */
  statement?: number | undefined;
  lockLost?: boolean;
  /** the file is recorded as applied; undefined: the database could not be asked */
  landed?: boolean | undefined;
  /** autocommit files: the partial stop was recorded, runs now refuse until repair */
  recordedIncomplete?: boolean;
}

/** Pure: the one line to print. */
export function interruptedMessage(i: Interruption): string {
  const earlier = i.appliedThisRun > 0 ? `the ${i.appliedThisRun} file(s) before it in this run stay applied` : "no file of this run was applied before it";
  const m = i.migration;
  if (!m) return `the database connection was lost ${i.doing} (${i.reason}): ${i.appliedThisRun} file(s) of this run applied, nothing after them; rerun migrate-up`;
  if (i.lockLost) {
    return `the migration lock was lost while applying ${m.file} (its connection ended): nothing of ${m.file} was applied (rolled back, so no other runner can apply it twice); ${earlier}; rerun migrate-up`;
  }
  const lost = `the database connection was lost while applying ${m.file}`;
  if (i.statement === undefined) {
    if (i.landed === true) return `${lost} as it committed (${i.reason}): it is applied and recorded; ${earlier}; rerun migrate-up for the rest`;
    if (i.landed === false) return `${lost} (${i.reason}): nothing of it was applied (its transaction rolled back); ${earlier}; rerun migrate-up`;
    return `${lost} (${i.reason}) and the database does not answer: the file and its history row commit together or not at all; rerun migrate-up once the database is back (it applies ${m.file} only if it did not land)`;
  }
  const count = m.statements.length;
  const at = i.statement > count ? `after its ${count} statement(s), while recording it` : `at statement ${i.statement} of ${count}`;
  const kept = i.statement > count
    ? "every statement ran"
    : `its first ${i.statement - 1} statement(s) stay applied and statement ${i.statement} may have run in part`;
  const next = i.recordedIncomplete
    ? `runs refuse until you finish it by hand and run n8n:repair --status applied ${m.version} (or undo it and mark it reverted)`
    : `nothing recorded that: check the database, finish the file by hand and run n8n:repair --status applied ${m.version} before rerunning migrate-up`;
  if (i.landed === true) return `${lost} (${i.reason}) after it was recorded: it is applied; ${earlier}; rerun migrate-up for the rest`;
  return `${lost} ${at} (${i.reason}): this file runs outside a transaction, so ${kept}; ${next}`;
}

/** Fills in `landed` (and records an autocommit file's partial stop) when the database answers again. */
export async function inspectInterruption(databaseUrl: string, i: Interruption): Promise<Interruption> {
  const m = i.migration;
  if (!m || i.lockLost) return i;
  try {
    const client = await connect(databaseUrl, { applicationName: "n8n-sync migrate-up", timeoutMs: 5000 });
    try {
      const { rows } = await client.query(`SELECT 1 FROM ${HISTORY_TABLE} WHERE version = $1`, [m.version]);
      const landed = rows.length > 0;
      if (landed || i.statement === undefined) return { ...i, landed };
      await recordIncomplete(client, {
        version: m.version,
        file: m.file,
        applied_statements: Math.min(i.statement - 1, m.statements.length),
        error: `connection lost at statement ${i.statement}: ${i.reason}`,
      });
      return { ...i, landed, recordedIncomplete: true };
    } finally {
      await client.end().catch(() => {});
    }
  } catch {
    return i;
  }
}
