// What a workflow migration would do to a database, without applying it (migrate-up --dry-run): the
// file's header says which workflow and version it brings; the target's state is read, never written;
// resolveConflict decides exactly as the file's SQL would.
import type pg from "pg";
import { quoteIdent } from "../db.ts";
import type { ApplySettings } from "./apply-settings.ts";
import { resolveConflict, SYNCED_OUTCOMES, type Action } from "./conflict.ts";
import { parseHeader } from "./header.ts";

export interface Prediction {
  workflowId: string;
  name: string;
  outcome: Action;
  reason: string;
}

export async function predictWorkflowMigration(client: pg.Client, sql: string, settings: ApplySettings): Promise<Prediction> {
  const parsed = parseHeader(sql);
  const { workflowId, versionId, lastUpdated, workflowName } = parsed?.header ?? {};
  if (!workflowId || !versionId || !lastUpdated) {
    throw new Error(`not a workflow migration with a complete header${parsed ? ` (${parsed.problems.join("; ")})` : ""}`);
  }
  const schema = quoteIdent(settings.schema);
  const { rows } = await client.query<{ version_id: string; updated_at: Date }>(
    `SELECT w."versionId"::text AS version_id, w."updatedAt" AS updated_at FROM ${schema}.workflow_entity w WHERE w.id = $1`,
    [workflowId],
  );
  const target = rows[0];
  const decision = resolveConflict(
    target ? { versionId: target.version_id, updatedAt: target.updated_at, lastSyncedVersionId: await lastSynced(client, schema, workflowId) } : null,
    { versionId, updatedAt: new Date(lastUpdated) },
  );
  return { workflowId, name: workflowName ?? workflowId, outcome: decision.action, reason: decision.reason };
}

/** result_version_id of the latest row that wrote or confirmed the workflow (as the file's SQL reads it). */
async function lastSynced(client: pg.Client, schema: string, workflowId: string): Promise<string | null> {
  const { rows: exists } = await client.query<{ present: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS present`, [
    `${schema}.migration_metadata`,
  ]);
  if (!exists[0]?.present) return null;
  const { rows } = await client.query<{ result_version_id: string | null }>(
    `SELECT result_version_id FROM ${schema}.migration_metadata
      WHERE workflow_id = $1 AND outcome = ANY($2::text[])
      ORDER BY synced_at DESC, migration_file DESC LIMIT 1`,
    [workflowId, SYNCED_OUTCOMES],
  );
  return rows[0]?.result_version_id ?? null;
}
