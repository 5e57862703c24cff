// On n8n 1.x (no publication outbox) migrate-up asks n8n to reload the active workflows it moved to a new version (N8N_API_URL +
// N8N_API_KEY), here against a fake n8n public API on loopback; real n8n is covered by the e2e suite.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workflowsToReload } from "../../../src/n8n/reload.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { editWorkflow, seedWorkflow } from "../../../src/samples/seed.ts";
import { migrateUpScript, migrationsFolder } from "../migrations/helpers.ts";
import { exportSql } from "../workflows/helpers.ts";

interface FakeN8n {
  url: string;
  calls: string[];
  status: number;
  close(): Promise<void>;
}

async function fakeN8n(): Promise<FakeN8n> {
  const fake = { calls: [] as string[], status: 200 } as FakeN8n;
  const server = http.createServer((req, res) => {
    fake.calls.push(`${req.method} ${req.url} key=${req.headers["x-n8n-api-key"]}`);
    res.writeHead(fake.status, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

describe("migrate-up live reload", () => {
  let dev: TestDatabase;
  let prod: TestDatabase;
  let n8n: FakeN8n;
  beforeAll(async () => {
    [dev, prod] = await Promise.all([createTestDatabase("n8n1"), createTestDatabase("n8n1")]);
    n8n = await fakeN8n();
  });
  afterAll(async () => {
    await n8n.close();
    await Promise.all([dev.drop(), prod.drop()]);
  });

  it("reloads only the changed active workflow, and a failing n8n leaves the database migrated", async () => {
    const live = await seedWorkflow(dev, { name: "Live" });
    const idle = await seedWorkflow(dev, { name: "Idle" });
    const folder = migrationsFolder({
      "20250101000001_live.sql": await exportSql(dev, live.id),
      "20250101000002_idle.sql": await exportSql(dev, idle.id),
    });
    const env = { N8N_API_URL: n8n.url, N8N_API_KEY: "test-key" };
    const first = await migrateUpScript(prod, folder, [], env);
    expect(first.code).toBe(0);
    expect(n8n.calls).toEqual([]); // new workflows arrive inactive: nothing to reload

    // Activated in prod; both edited in dev and synced again: only the active one needs a reload.
    await prod.query(`UPDATE workflow_entity SET active = true, "activeVersionId" = "versionId" WHERE id = $1`, [live.id]);
    const liveEdit = await editWorkflow(dev, live.id);
    await editWorkflow(dev, idle.id);
    folder.write("20250102000001_live.sql", await exportSql(dev, live.id));
    folder.write("20250102000002_idle.sql", await exportSql(dev, idle.id));
    const second = await migrateUpScript(prod, folder, [], env);
    expect(second.code).toBe(0);
    expect(n8n.calls).toEqual([
      `POST /api/v1/workflows/${live.id}/deactivate key=test-key`,
      `POST /api/v1/workflows/${live.id}/activate key=test-key`,
    ]);
    expect(second.stdout).toContain(`reloaded Live (${live.id}) in n8n`);

    // n8n answers 500: a warning, exit 0, and the new version is published in the database anyway.
    n8n.calls.length = 0;
    n8n.status = 500;
    await editWorkflow(dev, live.id);
    folder.write("20250103000001_live.sql", await exportSql(dev, live.id));
    const third = await migrateUpScript(prod, folder, [], env);
    expect(third.code).toBe(0);
    expect(third.stderr).toMatch(/n8n did not reload Live .*answered 500.*after n8n restarts/);
    expect(third.stderr + third.stdout).not.toContain("test-key");
    const [row] = await prod.query<{ versionId: string; activeVersionId: string }>(
      `SELECT "versionId", "activeVersionId" FROM workflow_entity WHERE id = $1`,
      [live.id],
    );
    expect(row?.versionId.trim()).not.toBe(liveEdit.versionId);
    expect(row?.activeVersionId).toBe(row?.versionId.trim());

    // --no-reload, and a dry run, never call n8n.
    n8n.calls.length = 0;
    await editWorkflow(dev, live.id);
    folder.write("20250104000001_live.sql", await exportSql(dev, live.id));
    expect((await migrateUpScript(prod, folder, ["--dry-run"], env)).code).toBe(0);
    expect((await migrateUpScript(prod, folder, ["--no-reload"], env)).code).toBe(0);
    expect(n8n.calls).toEqual([]);
  });

  it("lists each workflow that needs a reload once", () => {
    expect(
      workflowsToReload([
        { workflowId: "a", name: "A", reloadNeeded: true },
        { workflowId: "b", name: "B", reloadNeeded: false },
        { workflowId: "a", name: "A2", reloadNeeded: true },
      ]),
    ).toEqual([{ workflowId: "a", name: "A2" }]);
  });
});
