// Which n8n a database holds: whether its tables exist yet in the configured schema, and which of the
// version-dependent columns (1.x vs 2.x) are there, so queries never name a column that is missing.
import type pg from "pg";
import { ExitCode, UserError } from "../errors/errors.ts";

/** Tables a workflow migration writes; all must exist before one can apply. */
export const REQUIRED_TABLES = [
  "workflow_entity",
  "shared_workflow",
  "project",
  "project_relation",
  "user",
  "credentials_entity",
  "workflow_history",
  "tag_entity",
  "workflows_tags",
] as const;

/**
 * Columns export, export-prod and status read on every supported n8n (1.x from 1.123, 2.x), per table.
 * One missing means an n8n n8n-sync does not know (or not n8n's database): checked up front, so the
 * message names the column instead of Prisma's "Invalid invocation".
 */
export const READ_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  workflow_entity: ["id", "name", "active", "nodes", "connections", "settings", "meta", "versionId", "createdAt", "updatedAt", "isArchived", "description", "parentFolderId"],
  shared_workflow: ["workflowId", "projectId", "role"],
  project: ["id", "name", "type"],
  workflows_tags: ["workflowId", "tagId"],
  tag_entity: ["id", "name"],
  credentials_entity: ["id", "name", "type"],
};

/** The n8n versions n8n-sync is tested with, for messages about a schema it does not know. */
export const SUPPORTED_N8N = "n8n 1.123 and 2.x (tested with 1.123.81 and 2.41.1)";

/** Columns or tables that exist only on some n8n generations. */
export interface N8nFeatures {
  /** workflow_entity."nodeGroups" and workflow_history."nodeGroups" (2.x) */
  nodeGroups: boolean;
  /** workflow_published_version table (2.x) */
  publishedVersionTable: boolean;
  /** project."creatorId" (2.x) */
  projectCreatorId: boolean;
}

export interface N8nSchema {
  schema: string;
  /** all REQUIRED_TABLES exist */
  ready: boolean;
  missingTables: string[];
  /** READ_COLUMNS missing from tables that exist, as table."column" */
  missingColumns: string[];
  /** 1 or 2, from the columns found; undefined when not ready */
  generation: 1 | 2 | undefined;
  features: N8nFeatures;
}

/**
 * Reads the system catalog, not information_schema: information_schema hides tables a least-privilege
 * role (the production export role) has no grant on, which would look like "n8n not started".
 */
export async function inspectN8nSchema(client: pg.Client, schema: string): Promise<N8nSchema> {
  const { rows } = await client.query<{ table_name: string; column_name: string }>(
    `SELECT c.relname AS table_name, a.attname AS column_name
       FROM pg_catalog.pg_attribute a
       JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = ANY($2::text[]) AND c.relkind IN ('r', 'p')
        AND a.attnum > 0 AND NOT a.attisdropped`,
    [schema, [...REQUIRED_TABLES, "workflow_published_version"]],
  );
  return describeN8nSchema(schema, rows);
}

/** Pure: the schema description from information_schema rows (table_name, column_name). */
export function describeN8nSchema(
  schema: string,
  rows: ReadonlyArray<{ table_name: string; column_name: string }>,
): N8nSchema {
  const has = (table: string, column?: string) =>
    rows.some((row) => row.table_name === table && (column === undefined || row.column_name === column));
  const missingTables = REQUIRED_TABLES.filter((table) => !has(table));
  const features: N8nFeatures = {
    nodeGroups: has("workflow_entity", "nodeGroups"),
    publishedVersionTable: has("workflow_published_version"),
    projectCreatorId: has("project", "creatorId"),
  };
  const ready = missingTables.length === 0;
  const missingColumns = Object.entries(READ_COLUMNS).flatMap(([table, columns]) =>
    has(table) ? columns.filter((column) => !has(table, column)).map((column) => `${table}."${column}"`) : [],
  );
  return {
    schema,
    ready,
    missingTables,
    missingColumns,
    generation: ready ? (features.publishedVersionTable ? 2 : 1) : undefined,
    features,
  };
}

/** inspectN8nSchema for commands that need n8n's tables: exit 4 with notReadyMessage when they are not there. */
export async function requireN8nSchema(client: pg.Client, schema: string): Promise<N8nSchema> {
  const n8n = await inspectN8nSchema(client, schema);
  if (!n8n.ready) throw new UserError(notReadyMessage(schema), ExitCode.N8N_NOT_READY);
  requireKnownColumns(n8n);
  return n8n;
}

/** A UserError naming the columns n8n-sync reads that this n8n lacks (READ_COLUMNS). */
export function requireKnownColumns(n8n: N8nSchema): void {
  if (n8n.missingColumns.length === 0) return;
  throw new UserError(
    `n8n's tables in schema ${n8n.schema} lack column${n8n.missingColumns.length === 1 ? "" : "s"} n8n-sync reads: ${n8n.missingColumns.join(", ")}. ` +
      `n8n-sync supports ${SUPPORTED_N8N}: check that DATABASE_URL and N8N_DB_SCHEMA point at n8n's database, and which n8n version created it`,
  );
}

export function notReadyMessage(schema: string): string {
  return `n8n tables not found in schema ${schema}: start n8n once, then rerun (or set N8N_DB_SCHEMA to n8n's DB_POSTGRESDB_SCHEMA)`;
}
