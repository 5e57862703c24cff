// Reads back the workflow a migration file carries (name, nodes, connections, settings), to compare a
// workflow with its newest earlier migration (export-prod summary, diff, validate, rollback). Follows the layout of render.ts: each value
// is a DECLARE constant `in_<field> constant <type> := <dollar-quoted JSON>` (or NULL, or a boolean), whose tag occurs
// nowhere in the content. test/unit/workflows/read-migration.test.ts reads what render.ts writes.
import type { CommunityNodeUse } from "../n8n/node-types.ts";
import type { ExportedWorkflow } from "../n8n/workflow.ts";

/** what a workflow migration carries that a reviewer compares */
export interface MigrationWorkflow extends Pick<ExportedWorkflow, "name" | "nodes" | "connections" | "settings"> {
  /** whether applying the file archives the workflow */
  archived: boolean;
  /** nodes whose type a community package provides where the file was made (absent in older files) */
  communityNodes?: CommunityNodeUse[];
}

/** The workflow in a workflow migration's SQL, or undefined when the file does not have that layout. */
export function readMigrationWorkflow(sql: string): MigrationWorkflow | undefined {
  const name = migrationConstant(sql, "name");
  const nodes = migrationConstant(sql, "nodes");
  const connections = migrationConstant(sql, "connections");
  const settings = migrationConstant(sql, "settings");
  if (typeof name !== "string" || !Array.isArray(nodes) || connections === undefined || settings === undefined) return undefined;
  const communityNodes = migrationConstant(sql, "community_nodes");
  return {
    name,
    nodes,
    connections,
    settings,
    archived: /\n {2}in_archived\s+constant boolean\s+:= true;/.test(sql),
    ...(Array.isArray(communityNodes) ? { communityNodes: communityNodes as CommunityNodeUse[] } : {}),
  };
}

/** The parsed JSON of `in_<field>` (null for NULL), or undefined when absent or unreadable. */
export function migrationConstant(sql: string, field: string): unknown {
  const declaration = new RegExp(`\\n {2}in_${field}\\s+constant [a-z]+\\s+:= `).exec(sql);
  if (!declaration) return undefined;
  const start = declaration.index + declaration[0].length;
  if (sql.startsWith("NULL", start)) return null;
  const tag = /^\$[A-Za-z0-9_]*\$/.exec(sql.slice(start, start + 64))?.[0];
  if (!tag) return undefined;
  const end = sql.indexOf(tag, start + tag.length);
  if (end === -1) return undefined;
  try {
    return JSON.parse(sql.slice(start + tag.length, end));
  } catch {
    return undefined;
  }
}
