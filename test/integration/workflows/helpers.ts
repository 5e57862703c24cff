// Export a seeded workflow from one test database and apply the file to another, the way migrate-up
// does: one transaction, the settings as transaction-local GUCs, NOTICE reports collected.
import pg from "pg";
import { withClient } from "../../../src/db/db.ts";
import { withN8nPrisma } from "../../../src/n8n/prisma.ts";
import { readWorkflow } from "../../../src/n8n/read.ts";
import { inspectN8nSchema } from "../../../src/n8n/schema.ts";
import { applySettingsGucs, type ApplySettings } from "../../../src/workflows/apply-settings.ts";
import { renderWorkflowMigration } from "../../../src/workflows/render.ts";
import { parseNotice, type WorkflowReport } from "../../../src/workflows/report.ts";
import { describeSource, type ExportedWorkflow } from "../../../src/n8n/workflow.ts";
import type { TestDatabase } from "../../support/db.ts";

export async function readFrom(db: TestDatabase, id: string, options: { includePinData?: boolean } = {}): Promise<ExportedWorkflow> {
  const n8n = await withClient(db.url, (client) => inspectN8nSchema(client, db.schema));
  const workflow = await withN8nPrisma(db.url, db.schema, (prisma) => readWorkflow(prisma, n8n.features, id, options));
  if (!workflow) throw new Error(`no workflow ${id} in ${db.name}`);
  return workflow;
}

let counter = 0;

/** The migration file of a workflow as export writes it (a fresh file name each call). */
export async function exportSql(db: TestDatabase, id: string, options: { includePinData?: boolean; migration?: string } = {}): Promise<string> {
  const workflow = await readFrom(db, id, options);
  counter += 1;
  return renderWorkflowMigration(workflow, {
    migration: options.migration ?? `2025010100${String(counter).padStart(4, "0")}_test.sql`,
    source: "dev",
    n8n: describeSource({ generation: db.fixture === "n8n1" ? 1 : 2, schema: db.schema }),
    generatedBy: "n8n-sync test",
  });
}

/** Applies a migration as migrate-up does; returns the n8n-sync reports it raised. */
export async function applySql(
  db: Pick<TestDatabase, "url" | "schema">,
  sql: string,
  settings: Partial<ApplySettings> = {},
): Promise<WorkflowReport[]> {
  const client = new pg.Client({ connectionString: db.url });
  const reports: WorkflowReport[] = [];
  client.on("notice", (notice) => {
    const report = parseNotice(notice);
    if (report) reports.push(report);
  });
  await client.connect();
  try {
    await client.query("BEGIN");
    for (const [name, value] of Object.entries(applySettingsGucs({ schema: db.schema, ...settings }))) {
      await client.query("SELECT set_config($1, $2, true)", [name, value]);
    }
    await client.query(sql);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
  return reports;
}

/** Everything a workflow migration may touch for one workflow, for before/after comparisons. */
export async function snapshot(db: TestDatabase, id: string): Promise<Record<string, unknown[]>> {
  const s = `"${db.schema}"`;
  const q = (sql: string) => db.query(sql, [id]);
  return {
    workflow: await q(`SELECT *, nodes::text AS nodes, connections::text AS connections FROM ${s}.workflow_entity WHERE id = $1`),
    shared: await q(`SELECT * FROM ${s}.shared_workflow WHERE "workflowId" = $1 ORDER BY "projectId"`),
    history: await q(`SELECT "versionId", authors, nodes::text AS nodes FROM ${s}.workflow_history WHERE "workflowId" = $1 ORDER BY "versionId"`),
    tags: await q(`SELECT t.name FROM ${s}.workflows_tags wt JOIN ${s}.tag_entity t ON t.id = wt."tagId" WHERE wt."workflowId" = $1 ORDER BY 1`),
    executions: await q(`SELECT id FROM ${s}.execution_entity WHERE "workflowId" = $1 ORDER BY id`),
    metadata: await q(`SELECT * FROM ${s}.migration_metadata WHERE workflow_id = $1 ORDER BY migration_file`),
  };
}

/** The target's workflow row with its JSON parsed. */
export async function targetWorkflow(db: TestDatabase, id: string): Promise<Record<string, any> | undefined> {
  const rows = await db.query(`SELECT *, "versionId"::text AS "versionId" FROM "${db.schema}".workflow_entity WHERE id = $1`, [id]);
  return rows[0];
}

/** An exported workflow built in memory (what read.ts would return), for cases that need no source DB. */
export function makeWorkflow(partial: Partial<ExportedWorkflow> = {}): ExportedWorkflow {
  return {
    id: "wfCase0000000001",
    name: "Case workflow",
    versionId: "00000000-0000-4000-8000-000000000001",
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-01-01T00:00:00.000Z",
    active: false,
    isArchived: false,
    description: null,
    nodes: [{ id: "n1", name: "Start", type: "n8n-nodes-base.manualTrigger", typeVersion: 1, position: [0, 0], parameters: {} }],
    connections: {},
    settings: { executionOrder: "v1" },
    meta: null,
    tags: [],
    credentials: [],
    ...partial,
  };
}

export function renderCase(workflow: ExportedWorkflow, migration: string): string {
  return renderWorkflowMigration(workflow, { migration, source: "dev", n8n: "2.x (schema public)", generatedBy: "n8n-sync test" });
}
