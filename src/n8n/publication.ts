// n8n 2.3x+ publishes a workflow through its publication service: a pending row in
// workflow_publication_outbox, picked up by the leader at its next outbox poll, which writes the outcome
// into that row (completed / partial_success / failed + errorMessage) and per trigger node into
// workflow_publication_trigger_status (activated / failed + errorMessage). This file reads those outcomes
// and queues a publication exactly as n8n's WorkflowPublicationOutboxRepository.enqueue does.
import type pg from "pg";
import { quoteIdent } from "../db/db.ts";

/** live: n8n published it; failed: n8n refused it (or a trigger); pending: not processed yet */
export type PublicationStatus = "live" | "failed" | "pending";

export interface PublicationError {
  /** the trigger node's name (null: the publication failed as a whole) */
  node: string | null;
  message: string;
}

export interface PublicationOutcome {
  status: PublicationStatus;
  /** pending only: n8n has taken the row (in_progress) */
  claimed: boolean;
  errors: PublicationError[];
}

/** Whether this n8n publishes through its outbox (2.3x+). */
export async function hasPublicationOutbox(client: pg.Client, schema: string): Promise<boolean> {
  const { rows } = await client.query<{ found: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS found`, [
    `${quoteIdent(schema)}.workflow_publication_outbox`,
  ]);
  return rows[0]!.found;
}

/**
 * Whether any other session is connected to this database: none means n8n is not running (it holds
 * connections while up), so a queued publish waits for its start. Visible without privileges.
 */
export async function othersConnected(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ others: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_stat_activity
                     WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                       AND application_name NOT LIKE 'n8n-sync%') AS others`,
  );
  return rows[0]!.others;
}

/** n8n's outcome of the newest publication of `versionId` (none queued: pending). */
export async function readPublicationOutcome(client: pg.Client, schema: string, workflowId: string, versionId: string): Promise<PublicationOutcome> {
  const s = quoteIdent(schema);
  const { rows } = await client.query<{ status: string; errorMessage: string | null }>(
    `SELECT status, "errorMessage" FROM ${s}.workflow_publication_outbox
      WHERE "workflowId" = $1 AND "publishedVersionId" = $2 ORDER BY id DESC LIMIT 1`,
    [workflowId, versionId],
  );
  const row = rows[0];
  if (!row || row.status === "pending" || row.status === "in_progress") {
    return { status: "pending", claimed: row?.status === "in_progress", errors: [] };
  }
  const triggers = await failedTriggers(client, schema, workflowId, versionId);
  if (row.status === "completed" && triggers.length === 0) return { status: "live", claimed: true, errors: [] };
  const errors = triggers.length > 0 ? triggers : [{ node: null, message: row.errorMessage ?? `n8n recorded ${row.status}` }];
  return { status: "failed", claimed: true, errors };
}

/** The trigger nodes n8n failed to activate for this version, by name (their ids in its history row). */
async function failedTriggers(client: pg.Client, schema: string, workflowId: string, versionId: string): Promise<PublicationError[]> {
  const s = quoteIdent(schema);
  const { rows } = await client.query<{ node: string | null; message: string | null }>(
    `SELECT coalesce((SELECT n ->> 'name' FROM ${s}.workflow_history h, json_array_elements(h.nodes::json) n
                       WHERE h."versionId" = t."versionId" AND n ->> 'id' = t."nodeId" LIMIT 1), t."nodeId") AS node,
            t."errorMessage" AS message
       FROM ${s}.workflow_publication_trigger_status t
      WHERE t."workflowId" = $1 AND t."versionId" = $2 AND t.status = 'failed'
      ORDER BY 1`,
    [workflowId, versionId],
  );
  return rows.map((row) => ({ node: row.node, message: row.message ?? "failed to activate" }));
}

/**
 * Puts `previousVersionId` back as the published version of a workflow that still publishes
 * `failedVersionId` (nobody published another since), and queues it as n8n's own publish does, in one
 * transaction. The current version (the editor's) stays. false: the workflow moved on, nothing done.
 */
export async function restorePublishedVersion(
  client: pg.Client,
  schema: string,
  workflowId: string,
  failedVersionId: string,
  previousVersionId: string,
): Promise<boolean> {
  const s = quoteIdent(schema);
  await client.query("BEGIN");
  try {
    const { rowCount } = await client.query(
      `UPDATE ${s}.workflow_entity SET "activeVersionId" = $3 WHERE id = $1 AND "activeVersionId" = $2 AND active`,
      [workflowId, failedVersionId, previousVersionId],
    );
    if (rowCount === 1) await enqueuePublication(client, schema, workflowId, previousVersionId);
    await client.query("COMMIT");
    return rowCount === 1;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/** The row n8n's WorkflowPublicationOutboxRepository.enqueue writes on PostgreSQL (reason 'publish'). */
async function enqueuePublication(client: pg.Client, schema: string, workflowId: string, versionId: string): Promise<void> {
  await client.query(
    `INSERT INTO ${quoteIdent(schema)}.workflow_publication_outbox ("workflowId", "publishedVersionId", status, reason)
     VALUES ($1, $2, 'pending', 'publish')
     ON CONFLICT ("workflowId", status) WHERE status IN ('pending', 'in_progress')
     DO UPDATE SET "publishedVersionId" = EXCLUDED."publishedVersionId", reason = EXCLUDED.reason, "updatedAt" = CURRENT_TIMESTAMP(3)`,
    [workflowId, versionId],
  );
}

/** Per published workflow, what n8n recorded for its current version (status). */
export interface WorkflowPublicationState {
  workflowId: string;
  name: string;
  /** live: the current version is live; not-live: n8n refused it; queued: not processed yet */
  state: "live" | "not-live" | "queued";
  errors: PublicationError[];
  /** not-live: the version n8n serves instead (put back after the refusal), when it serves one */
  servingVersionId?: string | null;
}

/**
 * Every published (activeVersionId set), unarchived workflow's publication state: its current version's
 * newest outbox row, else the published version's (after a restore), else its trigger statuses (n8n
 * deletes old outbox rows).
 */
export async function readPublicationStates(client: pg.Client, schema: string): Promise<WorkflowPublicationState[]> {
  const s = quoteIdent(schema);
  const { rows } = await client.query<{ id: string; name: string; versionId: string; activeVersionId: string }>(
    `SELECT w.id, w.name, trim(w."versionId") AS "versionId", w."activeVersionId" FROM ${s}.workflow_entity w
      WHERE w."activeVersionId" IS NOT NULL AND NOT w."isArchived" ORDER BY w.name, w.id`,
  );
  const states: WorkflowPublicationState[] = [];
  for (const w of rows) {
    const current = await readPublicationOutcome(client, schema, w.id, w.versionId);
    const base = { workflowId: w.id, name: w.name };
    if (current.status === "failed") {
      const serving = w.activeVersionId !== w.versionId ? await readPublicationOutcome(client, schema, w.id, w.activeVersionId) : undefined;
      states.push({ ...base, state: "not-live", errors: current.errors, servingVersionId: serving?.status === "live" ? w.activeVersionId : null });
      continue;
    }
    const published = w.activeVersionId === w.versionId ? current : await readPublicationOutcome(client, schema, w.id, w.activeVersionId);
    if (published.status === "pending" && (await hasOutboxRow(client, schema, w.id, w.activeVersionId))) {
      states.push({ ...base, state: "queued", errors: [] });
    } else if (published.status === "failed") {
      states.push({ ...base, state: "not-live", errors: published.errors, servingVersionId: null });
    } else {
      // live, or published before n8n's outbox rows (or after their cleanup): the trigger statuses tell.
      const errors = published.status === "live" ? [] : await failedTriggers(client, schema, w.id, w.activeVersionId);
      states.push({ ...base, state: errors.length > 0 ? "not-live" : "live", errors, ...(errors.length > 0 ? { servingVersionId: null } : {}) });
    }
  }
  return states;
}

async function hasOutboxRow(client: pg.Client, schema: string, workflowId: string, versionId: string): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM ${quoteIdent(schema)}.workflow_publication_outbox WHERE "workflowId" = $1 AND "publishedVersionId" = $2 LIMIT 1`,
    [workflowId, versionId],
  );
  return rows.length > 0;
}
