// Which of some versionIds a database's workflow_history holds, per workflow: a target that once held a
// file's version holds it or a descendant now, so the file is "already there" (resolveConflict and
// apply-workflow.sql's decide step). Only the versions asked about are read, never whole histories.
import type pg from "pg";
import { quoteIdent } from "../db/db.ts";

/** workflow id -> the asked-for versionIds its history holds (workflows holding none are absent). */
export async function readTargetHistory(client: pg.Client, schema: string, versionIds: readonly string[]): Promise<Map<string, Set<string>>> {
  const held = new Map<string, Set<string>>();
  if (versionIds.length === 0) return held;
  const { rows } = await client.query<{ workflow_id: string; version_id: string }>(
    `SELECT h."workflowId" AS workflow_id, h."versionId"::text AS version_id FROM ${quoteIdent(schema)}.workflow_history h WHERE h."versionId" = ANY($1::text[])`,
    [[...new Set(versionIds)]],
  );
  for (const row of rows) {
    const versions = held.get(row.workflow_id) ?? new Set<string>();
    versions.add(row.version_id.trim());
    held.set(row.workflow_id, versions);
  }
  return held;
}
