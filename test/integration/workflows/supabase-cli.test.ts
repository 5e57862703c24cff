// The same workflow migrations applied by the real `supabase migration up` and by a migrate-up style
// transaction give the same database: same workflow rows, owners, history, tags and bookkeeping.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { createSupabaseProject, type SupabaseProject } from "../../support/supabase-cli.ts";
import { credentialNode, editWorkflow, sampleNodes, seedCredential, seedWorkflow } from "../../../src/samples/seed.ts";
import { applySql, exportSql } from "./helpers.ts";

/** What a workflow migration wrote, without the columns that record when it ran. */
async function state(db: TestDatabase): Promise<unknown> {
  const q = (sql: string) => db.query(sql);
  return {
    workflows: await q(`SELECT id, name, active, nodes::text, connections::text, settings::text, meta::text, description, "versionId",
                               "isArchived", "activeVersionId", "updatedAt", "createdAt", "nodeGroups"::text FROM n8n.workflow_entity ORDER BY id`),
    shared: await q(`SELECT "workflowId", "projectId", role FROM n8n.shared_workflow ORDER BY 1`),
    history: await q(`SELECT "versionId", "workflowId", authors, nodes::text, connections::text, name FROM n8n.workflow_history ORDER BY 1`),
    tags: await q(`SELECT wt."workflowId", t.id, t.name FROM n8n.workflows_tags wt JOIN n8n.tag_entity t ON t.id = wt."tagId" ORDER BY 1, 3`),
    metadata: await q(`SELECT migration_file, source, workflow_id, outcome, notes, incoming_version_id, previous_version_id,
                              result_version_id, source_updated_at FROM n8n.migration_metadata ORDER BY 1`),
  };
}

describe("supabase migration up", () => {
  let source: TestDatabase;
  let viaCli: TestDatabase;
  let viaRunner: TestDatabase;
  let project: SupabaseProject;
  beforeAll(async () => {
    [source, viaCli, viaRunner] = await Promise.all([createTestDatabase("n8n2"), createTestDatabase("n8n2schema"), createTestDatabase("n8n2schema")]);
    project = createSupabaseProject();
  });
  afterAll(async () => {
    project.remove();
    await Promise.all([source.drop(), viaCli.drop(), viaRunner.drop()]);
  });

  it("applies the same files with the same result as migrate-up would", async () => {
    const credential = await seedCredential(source, { name: "Header Auth", type: "httpHeaderAuth" });
    for (const db of [viaCli, viaRunner]) await seedCredential(db, { id: "targetHeaderAuth", name: "Header Auth", type: "httpHeaderAuth" });
    const plain = await seedWorkflow(source, { name: "Bob's $$ workflow -- ;", tags: ["a"], description: "it's\nfine" });
    const withCredential = await seedWorkflow(source, {
      nodes: [...sampleNodes("E'\\'' $n8n$ \u0000"), credentialNode("HTTP", { id: credential, name: "Header Auth" })],
    });
    const files: Array<[string, string]> = [
      ["20250101000001_plain.sql", await exportSql(source, plain.id, { migration: "20250101000001_plain.sql" })],
      ["20250101000002_credential.sql", await exportSql(source, withCredential.id, { migration: "20250101000002_credential.sql" })],
    ];
    await editWorkflow(source, plain.id, { name: "Bob's renamed" });
    files.push(["20250101000003_plain.sql", await exportSql(source, plain.id, { migration: "20250101000003_plain.sql" })]);

    for (const [file, sql] of files) project.writeMigration(file, sql);
    const run = await project.migrationUp(viaCli.url);
    expect(run.code, run.stderr).toBe(0);
    for (const [, sql] of files) await applySql(viaRunner, sql);

    const cliState = await state(viaCli);
    expect(cliState).toEqual(await state(viaRunner));
    expect((cliState as any).metadata.map((m: any) => m.outcome)).toEqual(["inserted", "inserted", "updated"]);
    const applied = await viaCli.query(`SELECT version FROM supabase_migrations.schema_migrations ORDER BY 1`);
    expect(applied.map((r) => r.version)).toEqual(["20250101000001", "20250101000002", "20250101000003"]);
  });
});
