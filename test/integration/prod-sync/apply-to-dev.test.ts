// The prod_sync_ files apply to a "dev" database with migrate-up and the dev workflows then equal the prod
// ones; with --dev-env the summary says which dev workflows were edited since their last sync.
import { afterEach, describe, expect, it } from "vitest";
import { migrateUp } from "../../../src/migrate-up/migrate-up.ts";
import { credentialNode, editWorkflow, sampleNodes, seedCredential, seedWorkflow } from "../../../src/samples/seed.ts";
import type { TestDatabase } from "../../support/db.ts";
import { DAY, database, dropDatabases, migrationsDir, runExport } from "./helpers.ts";

afterEach(dropDatabases);

async function workflowRow(db: TestDatabase, id: string) {
  const [row] = await db.query(
    `SELECT name, nodes, connections, settings, "versionId"::text AS "versionId", "updatedAt", "pinData", "staticData"
       FROM "${db.schema}".workflow_entity WHERE id = $1`,
    [id],
  );
  return row;
}

function apply(dev: TestDatabase, dir: string) {
  return migrateUp({ databaseUrl: dev.url, migrationsDir: dir, settings: { schema: dev.schema } });
}

describe("prod_sync_ files on a dev database", () => {
  it("apply with migrate-up; the dev workflows equal the prod ones (credentials remapped by type + name)", async () => {
    const prod = await database("n8n2");
    const dev = await database("n8n2schema");
    const prodCredential = await seedCredential(prod, { name: "Orders API", type: "httpHeaderAuth" });
    const devCredential = await seedCredential(dev, { name: "Orders API", type: "httpHeaderAuth" });
    const a = await seedWorkflow(prod, {
      name: "Orders",
      updatedAt: new Date(Date.now() - DAY),
      nodes: [...sampleNodes("prod"), credentialNode("Fetch", { id: prodCredential, name: "Orders API" })],
      settings: { executionOrder: "v1", timezone: "Europe/Berlin" },
      pinData: { Fetch: [{ json: { row: 1 } }] },
      staticData: { cursor: 42 },
    });
    const b = await seedWorkflow(prod, { name: "Billing", updatedAt: new Date(Date.now() - 2 * DAY) });
    const dir = await migrationsDir();
    expect((await runExport(prod, dir)).written).toBe(2);

    const result = await apply(dev, dir);
    expect(result.status).toBe("ok");
    expect(result.applied.flatMap((f) => f.reports.map((r) => r.outcome))).toEqual(["inserted", "inserted"]);

    for (const wf of [a, b]) {
      const [p, d] = [await workflowRow(prod, wf.id), await workflowRow(dev, wf.id)];
      const expectedNodes = (p!.nodes as Array<Record<string, any>>).map((node) =>
        node.credentials ? { ...node, credentials: { httpHeaderAuth: { id: devCredential, name: "Orders API" } } } : node,
      );
      expect(d).toEqual({ ...p, nodes: expectedNodes, pinData: null, staticData: null });
    }
    const metadata = await dev.query(`SELECT source, workflow_id, outcome FROM "${dev.schema}".migration_metadata ORDER BY migration_file`);
    expect(metadata.map((m) => m.source)).toEqual(["prod", "prod"]);
    expect(metadata.map((m) => m.outcome)).toEqual(["inserted", "inserted"]);
    expect((await apply(dev, dir)).applied).toEqual([]);
  });

  it("--dev-env: the summary tells dev workflows edited since their last sync (conflict), clean ones and new ones", async () => {
    const prod = await database("n8n2");
    const dev = await database("n8n2");
    const edited = await seedWorkflow(prod, { name: "Edited in dev", updatedAt: new Date(Date.now() - 3 * DAY) });
    const clean = await seedWorkflow(prod, { name: "Untouched in dev", updatedAt: new Date(Date.now() - 3 * DAY) });
    const dir = await migrationsDir();
    await runExport(prod, dir);
    expect((await apply(dev, dir)).status).toBe("ok");

    await editWorkflow(dev, edited.id, { at: new Date(Date.now() - 2 * DAY) });
    await editWorkflow(prod, edited.id, { at: new Date(Date.now() - DAY) });
    await editWorkflow(prod, clean.id, { at: new Date(Date.now() - DAY) });
    const fresh = await seedWorkflow(prod, { name: "New in prod", updatedAt: new Date(Date.now() - DAY) });

    const result = await runExport(prod, dir, { dev: { envName: "development", databaseUrl: dev.url, schema: dev.schema } });
    const dev_ = Object.fromEntries(result.workflows.map((w) => [w.workflowId, w.dev]));
    expect(dev_[edited.id]).toEqual({
      state: "local-edits",
      detail: "development: edited here since the last sync; the file's version is newer; migrate-up will overwrite the development version",
    });
    expect(dev_[clean.id]).toEqual({ state: "clean" });
    expect(dev_[fresh.id]).toEqual({ state: "absent" });
    expect(result.summary).toContain("| dev edited since last sync | 1 |");
    expect(result.summary).toContain("### ⚠️ Edited in dev");
    expect(result.summary).toContain("**edited in dev since the last sync: conflict**");

    // The dev database was only read.
    expect(await dev.query(`SELECT count(*)::int AS n FROM workflow_entity WHERE id = $1`, [fresh.id])).toEqual([{ n: 0 }]);
  });

  it("--dev-env on a database without n8n's tables: not checked, with the reason", async () => {
    const prod = await database("n8n2");
    const empty = await database("empty");
    await seedWorkflow(prod, { name: "Orders", updatedAt: new Date(Date.now() - DAY) });
    const result = await runExport(prod, await migrationsDir(), { dev: { envName: "development", databaseUrl: empty.url, schema: "public" } });
    expect(result.workflows[0]!.dev).toEqual({ state: "not-checked", reason: "the development database has no n8n tables in schema public yet" });
  });
});
