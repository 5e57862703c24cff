// Environment values applied by the files themselves: a file exported in one environment holds that
// environment's values; applied in another it carries that one's (in node parameters only), applied in
// its own it changes nothing; with no environment known it applies as written and says so. The Supabase
// CLI, which sets no setting, uses the environment migrate-up recorded in the database.
import { readMigrationEnvironment } from "../../../src/workflows/read-environment.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { createSupabaseProject, type SupabaseProject } from "../../support/supabase-cli.ts";
import { editWorkflow, seedWorkflow } from "../../../src/samples/seed.ts";
import { parseValuesTable } from "../../../src/workflows/environment-values.ts";
import { renderWorkflowMigration } from "../../../src/workflows/render.ts";
import { describeSource } from "../../../src/n8n/workflow.ts";
import { applySql, readFrom, targetWorkflow } from "./helpers.ts";

const values = parseValuesTable(
  JSON.stringify({
    API_BASE: { match: "prefix", development: "http://localhost:3000", production: "https://api.example.com", staging: "https://staging.example.com" },
    ALERT_CHANNEL: { development: "#dev-alerts", production: "#prod-alerts" },
  }),
  "n8n-values.json",
);

function apiNodes(base: string, channel: string): unknown[] {
  return [
    { parameters: {}, id: "n0", name: "Webhook", type: "n8n-nodes-base.webhook", typeVersion: 2, position: [0, 0] },
    {
      parameters: { url: `=${base}/users/{{ $json.id }}`, options: {}, sendHeaders: true, headerParameters: { parameters: [{ name: "X-Channel", value: channel }] } },
      id: "n1", name: "Call API", type: "n8n-nodes-base.httpRequest", typeVersion: 4.2, position: [200, 0],
      notes: `dev calls ${base}`,
    },
    { parameters: { text: `unrelated ${base}`, other: "http://localhost:30001/x" }, id: "n2", name: "Note", type: "n8n-nodes-base.set", typeVersion: 3.4, position: [400, 0] },
  ];
}

let counter = 0;
async function exportFrom(db: TestDatabase, id: string, environment: string): Promise<{ file: string; sql: string }> {
  counter += 1;
  const file = `2026010100${String(counter).padStart(4, "0")}_env.sql`;
  const sql = renderWorkflowMigration(await readFrom(db, id), {
    migration: file,
    source: environment === "production" ? "prod" : "dev",
    n8n: describeSource({ generation: 2, schema: db.schema }),
    generatedBy: "n8n-sync test",
    environment: { name: environment, values },
  });
  return { file, sql };
}

const callApi = (row: Record<string, any> | undefined) => row!.nodes.find((n: any) => n.name === "Call API");

describe("environment values", () => {
  let dev: TestDatabase;
  let prod: TestDatabase;
  let staging: TestDatabase;
  let fresh: TestDatabase;
  let viaCli: TestDatabase;
  let asWritten: TestDatabase;
  let unknown: TestDatabase;
  let project: SupabaseProject;
  beforeAll(async () => {
    const fixtures = ["n8n2", "n8n2", "n8n2", "n8n2", "n8n2schema", "n8n2", "n8n2"] as const;
    [dev, prod, staging, fresh, viaCli, asWritten, unknown] = (await Promise.all(fixtures.map((f) => createTestDatabase(f)))) as [
      TestDatabase, TestDatabase, TestDatabase, TestDatabase, TestDatabase, TestDatabase, TestDatabase,
    ];
    project = createSupabaseProject();
  });
  afterAll(async () => {
    project.remove();
    await Promise.all([dev, prod, staging, fresh, viaCli, asWritten, unknown].map((db) => db.drop()));
  });

  it("dev -> prod replaces dev's values by prod's, in node parameters only; prod -> dev brings dev's back", async () => {
    const workflow = await seedWorkflow(dev, { name: "Calls our API", nodes: apiNodes("http://localhost:3000", "#dev-alerts") });
    const { sql } = await exportFrom(dev, workflow.id, "development");

    const reports = await applySql(prod, sql, { environment: "production" });
    const inProd = await targetWorkflow(prod, workflow.id);
    expect(callApi(inProd).parameters.url).toBe("=https://api.example.com/users/{{ $json.id }}");
    expect(callApi(inProd).parameters.headerParameters.parameters[0].value).toBe("#prod-alerts");
    expect(callApi(inProd).notes).toBe("dev calls http://localhost:3000");
    expect(inProd!.nodes.find((n: any) => n.name === "Note").parameters).toEqual({ text: "unrelated http://localhost:3000", other: "http://localhost:30001/x" });
    // The same version (the history row holds what prod runs).
    expect(inProd!.versionId).toBe(workflow.versionId);
    const [history] = await prod.query<{ nodes: any[] }>(`SELECT nodes FROM "${prod.schema}".workflow_history WHERE "versionId" = $1`, [workflow.versionId]);
    expect(history!.nodes.find((n: any) => n.name === "Call API").parameters.url).toBe("=https://api.example.com/users/{{ $json.id }}");
    expect(reports[0]!.references!.filter((r) => r.kind === "environmentValue")).toEqual([
      expect.objectContaining({ name: "API_BASE", status: "replaced", from: "http://localhost:3000", to: "https://api.example.com", message: 'API_BASE: http://localhost:3000 -> https://api.example.com (node "Call API")' }),
      expect.objectContaining({ name: "ALERT_CHANNEL", status: "replaced", to: "#prod-alerts" }),
    ]);
    const [recorded] = await prod.query<{ name: string }>(`SELECT name FROM "${prod.schema}".n8n_sync_environment`);
    expect(recorded!.name).toBe("production");
    // A run as another environment on the same database is said (a wrong --env would write other values).
    const other = await seedWorkflow(dev, { name: "Run as dev by mistake", nodes: apiNodes("http://localhost:3000", "#dev-alerts") });
    const mistaken = await applySql(prod, (await exportFrom(dev, other.id, "development")).sql, { environment: "development" });
    expect(mistaken[0]!.references).toContainEqual(expect.objectContaining({
      status: "switched",
      message: "this database was migrated as production until now and is now development: if that is wrong, rerun migrate-up with --env production",
    }));
    await applySql(prod, (await exportFrom(dev, other.id, "development")).sql, { environment: "production" });

    // Edited in prod, exported from prod (export-prod): back in dev with dev's values.
    const inProdNodes = inProd!.nodes as any[];
    inProdNodes.find((n) => n.name === "Call API").parameters.options = { timeout: 5000 };
    const edit = await editWorkflow(prod, workflow.id, { nodes: inProdNodes });
    const back = await exportFrom(prod, workflow.id, "production");
    expect(readMigrationEnvironment(back.sql)?.name).toBe("production");
    await applySql(dev, back.sql, { environment: "development" });
    const inDev = await targetWorkflow(dev, workflow.id);
    expect(inDev!.versionId).toBe(edit.versionId);
    expect(callApi(inDev).parameters).toEqual({
      url: "=http://localhost:3000/users/{{ $json.id }}",
      options: { timeout: 5000 },
      sendHeaders: true,
      headerParameters: { parameters: [{ name: "X-Channel", value: "#dev-alerts" }] },
    });
  });

  it("applied in its own environment a file changes nothing; a third environment (staging) gets its values", async () => {
    const workflow = await seedWorkflow(dev, { name: "Own environment", nodes: apiNodes("http://localhost:3000", "#dev-alerts") });
    const { sql } = await exportFrom(dev, workflow.id, "development");
    // The file's nodes text, as a database with no environment takes it (as written), is what the source's
    // own environment gets, byte for byte.
    await applySql(asWritten, sql);
    const [written] = await asWritten.query<{ nodes: string }>(`SELECT nodes::text FROM "${asWritten.schema}".workflow_entity WHERE id = $1`, [workflow.id]);

    const reports = await applySql(fresh, sql, { environment: "development" });
    const [same] = await fresh.query<{ nodes: string }>(`SELECT nodes::text FROM "${fresh.schema}".workflow_entity WHERE id = $1`, [workflow.id]);
    expect(same!.nodes).toBe(written!.nodes);
    expect(JSON.parse(same!.nodes)).toEqual(workflow.nodes);
    expect(reports[0]!.references!.filter((r) => r.kind === "environmentValue")).toEqual([]);

    const stagingReports = await applySql(staging, sql, { environment: "staging" });
    const inStaging = await targetWorkflow(staging, workflow.id);
    expect(callApi(inStaging).parameters.url).toBe("=https://staging.example.com/users/{{ $json.id }}");
    // No staging value for the channel: dev's stays, and the report says so.
    expect(callApi(inStaging).parameters.headerParameters.parameters[0].value).toBe("#dev-alerts");
    expect(stagingReports[0]!.references!.find((r) => r.name === "ALERT_CHANNEL")).toMatchObject({
      status: "kept",
      message: 'ALERT_CHANNEL: no staging value in the file: kept development\'s #dev-alerts (node "Call API")',
    });
  });

  it("replaces in node parameters only, even when a hand-edited file points a slot elsewhere", async () => {
    const workflow = await seedWorkflow(dev, { name: "Hand-edited", nodes: apiNodes("http://localhost:3000", "#dev-alerts") });
    const { sql } = await exportFrom(dev, workflow.id, "development");
    const edited = sql.replace('{"nodeIndex":1,"node":"Call API","path":["parameters","url"]', '{"nodeIndex":1,"node":"Call API","path":["notes"]');
    expect(edited).not.toBe(sql);
    await applySql(staging, edited, { environment: "production" });
    const inProd = callApi(await targetWorkflow(staging, workflow.id));
    expect(inProd.notes).toBe("dev calls http://localhost:3000");
    expect(inProd.parameters.url).toBe("=http://localhost:3000/users/{{ $json.id }}");
    expect(inProd.parameters.headerParameters.parameters[0].value).toBe("#prod-alerts");
  });

  it("with no environment known, applies the file as written and says so", async () => {
    const workflow = await seedWorkflow(dev, { name: "Nowhere", nodes: apiNodes("http://localhost:3000", "#dev-alerts") });
    const { sql } = await exportFrom(dev, workflow.id, "development");
    const reports = await applySql(unknown, sql);
      expect(callApi(await targetWorkflow(unknown, workflow.id)).parameters.url).toBe("=http://localhost:3000/users/{{ $json.id }}");
      expect(reports[0]!.references).toContainEqual(expect.objectContaining({
        kind: "environmentValue",
        status: "unknown",
        message: "environment unknown here (migrate-up --env never ran on this database): applied with development's values as written",
      }));
  });

  it("the Supabase CLI applies a file with the environment migrate-up recorded in the database", async () => {
    // A first file applied as migrate-up does (with --env production) records the environment...
    const first = await seedWorkflow(dev, { name: "First", nodes: apiNodes("http://localhost:3000", "#dev-alerts") });
    await applySql(viaCli, (await exportFrom(dev, first.id, "development")).sql, { environment: "production" });
    // ...and a later file applied by `supabase migration up` (no settings) uses it.
    const second = await seedWorkflow(dev, { name: "Second", nodes: apiNodes("http://localhost:3000", "#dev-alerts") });
    const { file, sql } = await exportFrom(dev, second.id, "development");
    project.writeMigration(file, sql);
    const run = await project.migrationUp(viaCli.url);
    expect(run.code, run.stderr).toBe(0);
    const inProd = await targetWorkflow(viaCli, second.id);
    expect(callApi(inProd).parameters.url).toBe("=https://api.example.com/users/{{ $json.id }}");
    expect(callApi(inProd).parameters.headerParameters.parameters[0].value).toBe("#prod-alerts");
    // The CLI does not print notices: the bookkeeping row keeps what was replaced.
    const [row] = await viaCli.query<{ notes: string }>(`SELECT notes FROM "${viaCli.schema}".migration_metadata WHERE migration_file = $1`, [file]);
    expect(row!.notes).toContain('API_BASE: http://localhost:3000 -> https://api.example.com (node "Call API")');
  });
});
