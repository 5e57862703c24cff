// Workflow migrations waiting for n8n's tables: a workflow file applied to a database n8n has not started
// on yet records its own statement in supabase_migrations.n8n_sync_waiting (step 0 of apply-workflow.sql)
// instead of failing, and the first migrate-up that finds n8n's tables lands it here, with the migration
// lock held, before any pending file. supabase_migrations is one of the schemas the Supabase CLI's
// `db diff` and `db dump` leave out (InternalSchemas in its internal/utils/misc.go), so a waiting row
// never shows up as schema drift, and n8n's own schema gets nothing before n8n creates it.
import type pg from "pg";
import { applySettingsGucs, type ApplySettings } from "./apply-settings.ts";
import { parseNotice, type Outcome, type WorkflowReport } from "./report.ts";

export const WAITING_TABLE = "supabase_migrations.n8n_sync_waiting";

/** The outcome a workflow file reports when it waits (apply-workflow.sql step 0). */
export const WAITING_OUTCOME = "waiting" satisfies Outcome;

/** A workflow file that ran before n8n's tables existed and waits to land. */
export interface WaitingWorkflow {
  migration: string;
  workflowId: string;
  name: string;
  /** why it waits, as the file said it */
  reason: string;
}

/** A waiting workflow file that landed in this run, with what it reported (as a direct apply would). */
export interface LandedWorkflow {
  migration: string;
  reports: WorkflowReport[];
  durationMs: number;
}

/** The waiting workflow files, in file order; none when the table was never made (one catalog lookup). */
export async function readWaiting(client: pg.Client): Promise<WaitingWorkflow[]> {
  const { rows: exists } = await client.query<{ table: string | null }>(`SELECT to_regclass('${WAITING_TABLE}')::text AS table`);
  if (!exists[0]?.table) return [];
  const { rows } = await client.query<WaitingWorkflow>(
    `SELECT migration_file AS migration, workflow_id AS "workflowId", name, reason FROM ${WAITING_TABLE} ORDER BY migration_file`,
  );
  return rows;
}

export type LandResult =
  | { status: "landed"; landed: LandedWorkflow }
  /** the file waits again (e.g. n8n has no owner yet): nothing changed */
  | { status: "still-waiting"; reason: string }
  /** another runner landed it meanwhile */
  | { status: "gone" }
  | { status: "failed"; message: string };

/**
 * Lands one waiting file: in one transaction, its row deleted, its recorded statement run with this
 * run's settings (the same statement and settings as a direct apply: conflict rule, credentials,
 * project, folder, references, migration_metadata, publish; lock_timeout and statement_timeout as for a
 * file), and `guardSql` (the migration lock's check) last, so it lands exactly once. A failure or a
 * renewed wait rolls everything back: it stays waiting.
 */
export async function landWaiting(
  client: pg.Client,
  migration: string,
  settings: ApplySettings,
  run: { guardSql: string | undefined; baseSettings: Readonly<Record<string, string>> },
): Promise<LandResult> {
  const started = performance.now();
  const reports: WorkflowReport[] = [];
  const onNotice = (notice: { message?: string; detail?: string }) => {
    const report = parseNotice(notice);
    if (report) reports.push(report);
  };
  client.on("notice", onNotice);
  try {
    await client.query("BEGIN");
    for (const [name, value] of Object.entries({ ...run.baseSettings, ...applySettingsGucs(settings) })) {
      await client.query("SELECT set_config($1, $2, true)", [name, value]);
    }
    const { rows } = await client.query<{ statement: string }>(`DELETE FROM ${WAITING_TABLE} WHERE migration_file = $1 RETURNING statement`, [migration]);
    if (rows.length === 0) {
      await client.query("ROLLBACK");
      return { status: "gone" };
    }
    await client.query(rows[0]!.statement);
    const waits = reports.find((report) => report.outcome === WAITING_OUTCOME);
    if (waits) {
      await client.query("ROLLBACK");
      return { status: "still-waiting", reason: waits.reason };
    }
    if (run.guardSql) await client.query(run.guardSql);
    await client.query("COMMIT");
    return { status: "landed", landed: { migration, reports, durationMs: performance.now() - started } };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    const err = error as { code?: string; message?: string };
    if (err.code === undefined) throw error; // not PostgreSQL's answer (a lost connection): the runner says so
    return { status: "failed", message: err.message ?? String(error) };
  } finally {
    client.off("notice", onNotice);
  }
}

