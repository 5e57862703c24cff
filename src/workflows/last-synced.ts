// What n8n-sync last wrote or confirmed for each workflow in a database (its migration_metadata rows with
// a synced outcome, as the files' SQL reads them): the version fast-forward compares with, and what that
// apply left unresolved. One query for the dry run's single workflow and for status's every workflow.
import type pg from "pg";
import { quoteIdent } from "../db/db.ts";
import { SYNCED_OUTCOMES } from "./conflict.ts";

export interface LastSynced {
  /** result_version_id of the newest synced row (null when that row recorded none) */
  versionId: string | null;
  /** the migration file of that row */
  file: string;
  /** references that apply left unresolved (tables written before references travelled have none) */
  unresolved: string[];
}

/** workflow id -> its newest synced row; only `workflowId`'s when given; empty before any workflow file ran. */
export async function readLastSynced(client: pg.Client, schema: string, workflowId?: string): Promise<Map<string, LastSynced>> {
  const table = `${quoteIdent(schema)}.migration_metadata`;
  const { rows: exists } = await client.query<{ present: boolean }>("SELECT to_regclass($1) IS NOT NULL AS present", [table]);
  if (!exists[0]?.present) return new Map();
  const { rows } = await client.query<{ workflow_id: string; result_version_id: string | null; migration_file: string; unresolved: string[] | null }>(
    `SELECT DISTINCT ON (workflow_id) workflow_id, result_version_id, migration_file, to_jsonb(m) -> 'unresolved' AS unresolved FROM ${table} m
      WHERE workflow_id IS NOT NULL AND outcome = ANY($1::text[]) AND ($2::text IS NULL OR workflow_id = $2)
      ORDER BY workflow_id, synced_at DESC, migration_file DESC`,
    [SYNCED_OUTCOMES, workflowId ?? null],
  );
  return new Map(
    rows.map((row) => [
      row.workflow_id,
      { versionId: row.result_version_id?.trim() ?? null, file: row.migration_file, unresolved: row.unresolved ?? [] },
    ]),
  );
}
