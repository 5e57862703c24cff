// Benchmark databases: a fresh database restored from the n8n 2.41.1 fixture (what n8n created on its
// first start), holding the generated workflows the way n8n stores them: entity, owner row, history
// row of the current version, tags.
import pg from "pg";
import { adminQuery, withDatabase } from "../test/e2e/support/instance.ts";
import { fixtureSql } from "../src/samples/sample-databases.ts";
import type { GeneratedWorkflow } from "./generate.ts";

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
}

/** a new database holding n8n 2.41.1's empty tables (copied from `template` when given: much faster) */
export async function createN8nDatabase(adminUrl: string, database: string, template?: string): Promise<string> {
  await dropDatabase(adminUrl, database);
  await adminQuery(adminUrl, `CREATE DATABASE "${database}"${template ? ` TEMPLATE "${template}"` : ""}`);
  const url = withDatabase(adminUrl, database);
  if (!template) await withClient(url, (client) => client.query(fixtureSql("n8n2")!));
  return url;
}

export async function insertWorkflows(url: string, workflows: readonly GeneratedWorkflow[]): Promise<void> {
  await withClient(url, async (client) => {
    const { rows } = await client.query<{ id: string }>(`SELECT id FROM project WHERE type = 'personal' ORDER BY "createdAt" LIMIT 1`);
    const projectId = rows[0]?.id;
    if (!projectId) throw new Error("the fixture database has no personal project");
    const tagNames = [...new Set(workflows.flatMap((workflow) => workflow.tags))];
    await client.query(`INSERT INTO tag_entity (id, name) SELECT 'tag-' || name, name FROM unnest($1::text[]) AS name ON CONFLICT DO NOTHING`, [tagNames]);
    await client.query("BEGIN");
    // Batches keep each parameter a few MB.
    for (let start = 0; start < workflows.length; start += 250) {
      const batch = JSON.stringify(workflows.slice(start, start + 250));
      await client.query(
        `INSERT INTO workflow_entity (id, name, active, nodes, connections, settings, "versionId", "createdAt", "updatedAt")
         SELECT id, name, false, nodes, connections, settings, "versionId", "createdAt", "updatedAt"
         FROM json_to_recordset($1::json) AS w(id text, name text, nodes json, connections json, settings json, "versionId" text, "createdAt" timestamptz, "updatedAt" timestamptz)`,
        [batch],
      );
      await client.query(
        `INSERT INTO workflow_history ("versionId", "workflowId", authors, nodes, connections, name, "createdAt", "updatedAt")
         SELECT "versionId", id, 'Bench Owner', nodes, connections, name, "updatedAt", "updatedAt"
         FROM json_to_recordset($1::json) AS w(id text, name text, nodes json, connections json, "versionId" text, "updatedAt" timestamptz)`,
        [batch],
      );
      await client.query(
        `INSERT INTO shared_workflow ("workflowId", "projectId", role) SELECT id, $2, 'workflow:owner' FROM json_to_recordset($1::json) AS w(id text)`,
        [batch, projectId],
      );
      await client.query(
        `INSERT INTO workflows_tags ("workflowId", "tagId") SELECT w.id, 'tag-' || t.name
         FROM json_to_recordset($1::json) AS w(id text, tags json), json_array_elements_text(w.tags) AS t(name)`,
        [batch],
      );
    }
    await client.query("COMMIT");
  });
}
