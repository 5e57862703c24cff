// What a workflow migration would do to a database, without applying it (migrate-up --dry-run): the
// file's header says which workflow and version it brings; the target's state is read, never written;
// resolveConflict decides exactly as the file's SQL would.
import type pg from "pg";
import { quoteIdent } from "../db.ts";
import type { ApplySettings } from "./apply-settings.ts";
import { resolveConflict, type Action } from "./conflict.ts";
import { parseHeader } from "./header.ts";
import { readLastSynced } from "./last-synced.ts";

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
    target ? { versionId: target.version_id, updatedAt: target.updated_at, lastSyncedVersionId: (await readLastSynced(client, settings.schema, workflowId)).get(workflowId)?.versionId ?? null } : null,
    { versionId, updatedAt: new Date(lastUpdated) },
  );
  return { workflowId, name: workflowName ?? workflowId, outcome: decision.action, reason: decision.reason };
}
