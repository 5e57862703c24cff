// Fail closed after a partial failure. A file that runs outside a transaction (CREATE INDEX CONCURRENTLY,
// ...) can stop part-way with some statements applied; rerunning it from the top could apply them twice.
// Such a stop is recorded here, and every run refuses until `repair` marks the version applied or
// reverted. The table exists only while something is incomplete, so the regular history read learns
// about it for free (to_regclass) and the table of Supabase CLI itself is never altered.
import type pg from "pg";

export const INCOMPLETE_TABLE = "supabase_migrations.n8n_sync_incomplete";

export interface IncompleteMigration {
  version: string;
  file: string;
  /** statements that were applied and remain */
  applied_statements: number;
  error: string;
}

export async function readIncomplete(client: pg.Client): Promise<IncompleteMigration[]> {
  try {
    const { rows } = await client.query<IncompleteMigration>(
      `SELECT version, file, applied_statements, error FROM ${INCOMPLETE_TABLE} ORDER BY version`,
    );
    return rows;
  } catch (error) {
    if ((error as { code?: string }).code === "42P01") return [];
    throw error;
  }
}

export async function recordIncomplete(client: pg.Client, entry: IncompleteMigration): Promise<void> {
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${INCOMPLETE_TABLE} (version text PRIMARY KEY, file text NOT NULL,
       applied_statements int NOT NULL, error text NOT NULL, failed_at timestamptz NOT NULL DEFAULT now())`,
  );
  await client.query(
    `INSERT INTO ${INCOMPLETE_TABLE} (version, file, applied_statements, error) VALUES ($1, $2, $3, $4)
     ON CONFLICT (version) DO UPDATE SET file = EXCLUDED.file, applied_statements = EXCLUDED.applied_statements,
       error = EXCLUDED.error, failed_at = now()`,
    [entry.version, entry.file, entry.applied_statements, entry.error],
  );
}

/** Repair resolved these versions: forget them, and drop the table once nothing is incomplete. */
export async function clearIncomplete(client: pg.Client, versions: readonly string[]): Promise<void> {
  const { rows } = await client.query<{ present: boolean }>("SELECT to_regclass($1) IS NOT NULL AS present", [INCOMPLETE_TABLE]);
  if (!rows[0]?.present) return;
  await client.query(`DELETE FROM ${INCOMPLETE_TABLE} WHERE version = ANY($1)`, [versions]);
  await client.query(
    `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM ${INCOMPLETE_TABLE}) THEN DROP TABLE ${INCOMPLETE_TABLE}; END IF; END $$`,
  );
}

/** Pure: the refusal while something is incomplete. */
export function incompleteMessage(entries: readonly IncompleteMigration[]): string {
  const list = entries
    .map((e) => `${e.file} (${e.applied_statements} statement(s) applied outside a transaction, then: ${e.error})`)
    .join("; ");
  const versions = entries.map((e) => e.version).join(" ");
  return (
    `migration stopped part-way: ${list}. Finish or undo it by hand, then run ` +
    `n8n:repair --status applied ${versions} (finished) or --status reverted ${versions} (undone)`
  );
}
