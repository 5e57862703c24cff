// What workflow migrations would do to a database, without applying them, for the read-only callers
// (export-prod --dev-env on a read-only connection): the files' headers say which workflow and versions
// they bring; the target's state is read, never written; replayFiles decides exactly as the files' SQL
// would, each pending file of the workflow in order. migrate-up --dry-run does not predict: it rehearses
// the real SQL (rehearse.ts) and reads the outcomes from its reports (predictionOf).
import type pg from "pg";
import { quoteIdent } from "../db/db.ts";
import type { ApplySettings } from "./apply-settings.ts";
import { ACTION_OF, replayFiles, type Action, type Decision, type IncomingState, type TargetState } from "./conflict.ts";
import { parseHeader } from "./header.ts";
import { readLastSynced } from "./last-synced.ts";
import type { WorkflowReport } from "./report.ts";
import { readTargetHistory } from "./target-history.ts";

export interface Prediction {
  workflowId: string;
  name: string;
  outcome: Action;
  reason: string;
}

/**
 * What the file `sql` would do to its workflow once the `earlier` pending files of the same workflow
 * (in the order migrate-up applies them) have run.
 */
export async function predictWorkflowMigration(
  client: pg.Client,
  sql: string,
  settings: ApplySettings,
  earlier: readonly IncomingState[] = [],
): Promise<Prediction> {
  const parsed = parseHeader(sql);
  const { workflowId, versionId, lastUpdated, workflowName } = parsed?.header ?? {};
  if (!workflowId || !versionId || !lastUpdated) {
    throw new Error(`not a workflow migration with a complete header${parsed ? ` (${parsed.problems.join("; ")})` : ""}`);
  }
  const decisions = await predictWorkflowFiles(client, settings.schema, workflowId, [...earlier, { versionId, updatedAt: new Date(lastUpdated) }]);
  const decision = decisions.at(-1)!;
  return { workflowId, name: workflowName ?? workflowId, outcome: decision.action, reason: decision.reason };
}

/** The decision of each of a workflow's pending files, in order, from the target's state read now. */
export async function predictWorkflowFiles(client: pg.Client, schema: string, workflowId: string, files: readonly IncomingState[]): Promise<Decision[]> {
  return replayFiles(await readTargetState(client, schema, workflowId, files.map((f) => f.versionId)), files);
}

async function readTargetState(client: pg.Client, schema: string, workflowId: string, versionIds: readonly string[]): Promise<TargetState | null> {
  const { rows } = await client.query<{ version_id: string; updated_at: Date }>(
    `SELECT w."versionId"::text AS version_id, w."updatedAt" AS updated_at FROM ${quoteIdent(schema)}.workflow_entity w WHERE w.id = $1`,
    [workflowId],
  );
  const target = rows[0];
  if (!target) return null;
  const [synced, history] = [await readLastSynced(client, schema, workflowId), await readTargetHistory(client, schema, versionIds)];
  return {
    versionId: target.version_id,
    updatedAt: target.updated_at,
    lastSyncedVersionId: synced.get(workflowId)?.versionId ?? null,
    history: history.get(workflowId) ?? new Set(),
  };
}

/** A rehearsed file's report as a dry run's prediction: the real SQL's outcome and reason. */
export function predictionOf(report: WorkflowReport): Prediction | undefined {
  if (report.outcome === "waiting") return undefined;
  return { workflowId: report.workflowId, name: report.name, outcome: ACTION_OF[report.outcome], reason: report.reason };
}
