// Seeds n8n rows into a database the way n8n itself writes them: a workflow with its owner row,
// history row and tags; credentials (id, name, type, an opaque encrypted `data`); executions. Works on
// 1.x and 2.x databases and in any schema. The demo (edits a person makes in n8n) and the tests of
// export, migrate-up and prod-sync share it.
import { randomBytes, randomUUID } from "node:crypto";
import type pg from "pg";

/** an n8n database to write to: its schema and a way to run one query */
export interface N8nDatabase {
  schema: string;
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
}

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** An id like n8n's: 16 alphanumeric characters. */
export function n8nId(): string {
  return [...randomBytes(16)].map((b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join("");
}

function table(db: N8nDatabase, name: string): string {
  return `"${db.schema}"."${name}"`;
}

async function hasColumn(db: N8nDatabase, tableName: string, column: string): Promise<boolean> {
  const rows = await db.query(
    `SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name = $3`,
    [db.schema, tableName, column],
  );
  return rows.length > 0;
}

/** The instance owner's personal project (present in every fixture). */
export async function ownerProjectId(db: N8nDatabase): Promise<string> {
  const rows = await db.query<{ id: string }>(
    `SELECT p.id FROM ${table(db, "project")} p
       JOIN ${table(db, "project_relation")} pr ON pr."projectId" = p.id AND pr.role = 'project:personalOwner'
       JOIN ${table(db, "user")} u ON u.id = pr."userId" AND u."roleSlug" = 'global:owner'
      WHERE p.type = 'personal' LIMIT 1`,
  );
  if (!rows[0]) throw new Error("fixture has no owner project");
  return rows[0].id;
}

export interface SeedWorkflow {
  id: string;
  name: string;
  versionId: string;
  active: boolean;
  isArchived: boolean;
  nodes: unknown[];
  connections: unknown;
  settings: unknown;
  meta: unknown;
  description: string | null;
  nodeGroups: unknown;
  pinData: unknown;
  staticData: unknown;
  createdAt: Date;
  updatedAt: Date;
  tags: string[];
  /** owner project; null: no owner row (as a workflow written by hand in SQL) */
  projectId: string | null;
}

/** A small workflow as n8n stores one: a manual trigger and a Set node. */
export function sampleNodes(label = "hello"): unknown[] {
  return [
    {
      parameters: {},
      id: randomUUID(),
      name: "When clicking 'Execute workflow'",
      type: "n8n-nodes-base.manualTrigger",
      typeVersion: 1,
      position: [0, 0],
    },
    {
      parameters: { assignments: { assignments: [{ id: randomUUID(), name: "greeting", value: label, type: "string" }] }, options: {} },
      id: randomUUID(),
      name: "Edit Fields",
      type: "n8n-nodes-base.set",
      typeVersion: 3.4,
      position: [220, 0],
    },
  ];
}

export function sampleConnections(): unknown {
  return { "When clicking 'Execute workflow'": { main: [[{ node: "Edit Fields", type: "main", index: 0 }]] } };
}

/**
 * Inserts a workflow as n8n's UI save does: workflow_entity, a workflow_history row for its version
 * (activeVersionId points at it when active), an owner row and its tags. Returns what was written.
 */
export async function seedWorkflow(db: N8nDatabase, partial: Partial<SeedWorkflow> = {}): Promise<SeedWorkflow> {
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const wf: SeedWorkflow = {
    id: n8nId(),
    name: `Workflow ${n8nId().slice(0, 6)}`,
    versionId: randomUUID(),
    active: false,
    isArchived: false,
    nodes: sampleNodes(),
    connections: sampleConnections(),
    settings: { executionOrder: "v1" },
    meta: { templateCredsSetupCompleted: true },
    description: null,
    nodeGroups: [],
    pinData: {},
    staticData: null,
    createdAt: now,
    updatedAt: now,
    tags: [],
    projectId: partial.projectId === null ? null : (partial.projectId ?? (await ownerProjectId(db))),
    ...partial,
  };
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
  const groups = await hasColumn(db, "workflow_entity", "nodeGroups");
  await db.query(
    `INSERT INTO ${table(db, "workflow_entity")} (id, name, active, nodes, connections, settings, meta, description,
       "pinData", "staticData", "versionId", "isArchived", "createdAt", "updatedAt"${groups ? `, "nodeGroups"` : ""})
     VALUES ($1, $2, false, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13${groups ? ", $14" : ""})`,
    [wf.id, wf.name, json(wf.nodes), json(wf.connections), json(wf.settings), json(wf.meta), wf.description, json(wf.pinData),
      json(wf.staticData), wf.versionId, wf.isArchived, wf.createdAt, wf.updatedAt, ...(groups ? [json(wf.nodeGroups ?? [])] : [])],
  );
  await addHistory(db, wf);
  if (wf.active) {
    await db.query(`UPDATE ${table(db, "workflow_entity")} SET active = true, "activeVersionId" = $2 WHERE id = $1`, [wf.id, wf.versionId]);
  }
  if (wf.projectId) {
    await db.query(`INSERT INTO ${table(db, "shared_workflow")} ("workflowId", "projectId", role) VALUES ($1, $2, 'workflow:owner')`, [
      wf.id,
      wf.projectId,
    ]);
  }
  await setTags(db, wf.id, wf.tags);
  return wf;
}

async function addHistory(db: N8nDatabase, wf: Pick<SeedWorkflow, "id" | "versionId" | "nodes" | "connections" | "name" | "updatedAt">): Promise<void> {
  await db.query(
    `INSERT INTO ${table(db, "workflow_history")} ("versionId", "workflowId", authors, nodes, connections, name, "createdAt", "updatedAt")
     VALUES ($1, $2, 'Owner', $3, $4, $5, $6, $6)`,
    [wf.versionId, wf.id, JSON.stringify(wf.nodes), JSON.stringify(wf.connections), wf.name, wf.updatedAt],
  );
}

/**
 * An edit saved in n8n's editor: new nodes (default: a changed Set value), a new versionId and history
 * row, updatedAt = `at` (default now). Saving does not publish: activeVersionId stays (n8n 2.x).
 */
export async function editWorkflow(
  db: N8nDatabase,
  id: string,
  change: { nodes?: unknown[]; name?: string; at?: Date; versionId?: string } = {},
): Promise<{ versionId: string; updatedAt: Date }> {
  const [row] = await db.query<{ name: string; connections: unknown }>(
    `SELECT name, connections FROM ${table(db, "workflow_entity")} WHERE id = $1`,
    [id],
  );
  if (!row) throw new Error(`no workflow ${id}`);
  const versionId = change.versionId ?? randomUUID();
  const updatedAt = change.at ?? new Date();
  const nodes = change.nodes ?? sampleNodes(`edited ${versionId.slice(0, 8)}`);
  const name = change.name ?? row.name;
  await addHistory(db, { id, versionId, nodes, connections: row.connections, name, updatedAt });
  await db.query(
    `UPDATE ${table(db, "workflow_entity")} SET nodes = $2, name = $3, "versionId" = $4, "updatedAt" = $5 WHERE id = $1`,
    [id, JSON.stringify(nodes), name, versionId, updatedAt],
  );
  return { versionId, updatedAt };
}

/** Makes the workflow's tags exactly `names`, creating tags as n8n does. */
export async function setTags(db: N8nDatabase, workflowId: string, names: readonly string[]): Promise<void> {
  await db.query(`DELETE FROM ${table(db, "workflows_tags")} WHERE "workflowId" = $1`, [workflowId]);
  for (const name of names) {
    const tagId = await seedTag(db, name);
    await db.query(`INSERT INTO ${table(db, "workflows_tags")} ("workflowId", "tagId") VALUES ($1, $2)`, [workflowId, tagId]);
  }
}

/** The id of the tag with this name, created when missing. */
export async function seedTag(db: N8nDatabase, name: string): Promise<string> {
  const existing = await db.query<{ id: string }>(`SELECT id FROM ${table(db, "tag_entity")} WHERE name = $1`, [name]);
  if (existing[0]) return existing[0].id;
  const id = n8nId();
  await db.query(`INSERT INTO ${table(db, "tag_entity")} (id, name) VALUES ($1, $2)`, [id, name]);
  return id;
}

/** A credential as n8n stores it; `data` is an opaque stand-in for n8n's encrypted blob. */
export async function seedCredential(db: N8nDatabase, credential: { name: string; type: string; id?: string }): Promise<string> {
  const id = credential.id ?? n8nId();
  await db.query(`INSERT INTO ${table(db, "credentials_entity")} (id, name, type, data) VALUES ($1, $2, $3, $4)`, [
    id,
    credential.name,
    credential.type,
    `U2FsdGVkX1${randomBytes(24).toString("base64")}`,
  ]);
  return id;
}

/** `count` finished executions of the workflow; returns their ids. */
export async function seedExecutions(db: N8nDatabase, workflowId: string, count: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO ${table(db, "execution_entity")} (finished, mode, status, "workflowId", "startedAt", "stoppedAt")
     SELECT true, 'manual', 'success', $1, now(), now() FROM generate_series(1, $2) RETURNING id`,
    [workflowId, count],
  );
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

/** A node that uses a credential (HTTP Request with a header auth credential by default). */
export function credentialNode(name: string, credential: { id: string; name: string; type?: string }): unknown {
  return {
    parameters: { url: "https://example.com", authentication: "genericCredentialType", genericAuthType: credential.type ?? "httpHeaderAuth" },
    id: randomUUID(),
    name,
    type: "n8n-nodes-base.httpRequest",
    typeVersion: 4.2,
    position: [440, 0],
    credentials: { [credential.type ?? "httpHeaderAuth"]: { id: credential.id, name: credential.name } },
  };
}

/** A team project as n8n creates one (no members needed for ownership of workflows). */
export async function seedProject(db: N8nDatabase, name: string, type: "team" | "personal" = "team"): Promise<string> {
  const id = n8nId();
  await db.query(`INSERT INTO ${table(db, "project")} (id, name, type) VALUES ($1, $2, $3)`, [id, name, type]);
  return id;
}

/** A folder of a project (parentFolderId null: at the project's root). */
export async function seedFolder(db: N8nDatabase, folder: { name: string; projectId: string; parentFolderId?: string | null }): Promise<string> {
  const id = n8nId();
  await db.query(`INSERT INTO ${table(db, "folder")} (id, name, "parentFolderId", "projectId") VALUES ($1, $2, $3, $4)`, [
    id,
    folder.name,
    folder.parentFolderId ?? null,
    folder.projectId,
  ]);
  return id;
}

/** A data table of a project, with one string column (its rows live in n8n's own per-table tables). */
export async function seedDataTable(db: N8nDatabase, table_: { name: string; projectId: string }): Promise<string> {
  const id = n8nId();
  await db.query(`INSERT INTO ${table(db, "data_table")} (id, name, "projectId") VALUES ($1, $2, $3)`, [id, table_.name, table_.projectId]);
  await db.query(`INSERT INTO ${table(db, "data_table_column")} (id, name, type, index, "dataTableId") VALUES ($1, 'message', 'string', 0, $2)`, [
    n8nId(),
    id,
  ]);
  return id;
}

/** A variable, global (projectId null) or of a project. */
export async function seedVariable(db: N8nDatabase, variable: { key: string; value?: string; projectId?: string | null }): Promise<void> {
  await db.query(`INSERT INTO ${table(db, "variables")} (id, key, type, value, "projectId") VALUES ($1, $2, 'string', $3, $4)`, [
    n8nId(),
    variable.key,
    variable.value ?? "value",
    variable.projectId ?? null,
  ]);
}

/** Moves a workflow into a folder (null: the project root), as dragging it in n8n's UI does. */
export async function moveWorkflow(db: N8nDatabase, workflowId: string, folderId: string | null): Promise<void> {
  await db.query(`UPDATE ${table(db, "workflow_entity")} SET "parentFolderId" = $2 WHERE id = $1`, [workflowId, folderId]);
}

/** A Data Table node that inserts into the table, picked from the list (as n8n's editor stores it). */
export function dataTableNode(name: string, table_: { id: string; name: string; projectId: string }, mode: "list" | "id" | "name" = "list"): unknown {
  const locator =
    mode === "list"
      ? { __rl: true, value: table_.id, mode, cachedResultName: table_.name, cachedResultUrl: `/projects/${table_.projectId}/datatables/${table_.id}` }
      : { __rl: true, value: mode === "id" ? table_.id : table_.name, mode };
  return {
    parameters: { dataTableId: locator, columns: { mappingMode: "defineBelow", value: { message: "={{ $json.message }}" } }, options: {} },
    id: randomUUID(),
    name,
    type: "n8n-nodes-base.dataTable",
    typeVersion: 1,
    position: [440, 200],
  };
}

/** An Execute Workflow node calling a workflow of the database by id (v1.2 resource locator, or v1 string). */
export function executeWorkflowNode(name: string, callee: { id: string; name: string } | { expression: string }, version: 1 | 1.2 = 1.2): unknown {
  const value = "expression" in callee ? callee.expression : callee.id;
  const workflowId =
    version === 1 ? value : { __rl: true, value, mode: "list", ...("name" in callee ? { cachedResultName: callee.name, cachedResultUrl: `/workflow/${callee.id}` } : {}) };
  return {
    parameters: { source: "database", workflowId, options: {} },
    id: randomUUID(),
    name,
    type: "n8n-nodes-base.executeWorkflow",
    typeVersion: version,
    position: [660, 0],
  };
}

/** Puts a workflow into a project's folder path, making the folders that are missing; returns the leaf folder id. */
export async function folderPath(db: N8nDatabase, projectId: string, names: readonly string[]): Promise<string | null> {
  let parent: string | null = null;
  for (const name of names) {
    const [found]: Array<{ id: string }> = await db.query<{ id: string }>(
      `SELECT id FROM ${table(db, "folder")} WHERE "projectId" = $1 AND name = $2 AND "parentFolderId" IS NOT DISTINCT FROM $3`,
      [projectId, name, parent],
    );
    parent = found?.id ?? (await seedFolder(db, { name, projectId, parentFolderId: parent }));
  }
  return parent;
}
