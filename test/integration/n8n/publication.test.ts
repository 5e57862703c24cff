// Publishing through n8n 2.3x+'s outbox: the file queues n8n's pending row in its own transaction, and
// migrate-up --wait-live reads n8n's outcome, putting the previous version back when n8n refuses the new
// one. n8n's side is played here by writing the outcome rows as n8n's PublicationStatusReporter does (the
// real n8n is the e2e suite's).
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { editWorkflow, seedWorkflow } from "../../../src/samples/seed.ts";
import { applySettingsGucs } from "../../../src/workflows/apply-settings.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { migrateUpScript, migrationsFolder, runScript } from "../migrations/helpers.ts";
import { applySql, exportSql } from "../workflows/helpers.ts";

const TAKEN = 'The URL path that the "Webhook" node uses is already taken. Please change it to something else.';

interface OutboxRow {
  id: number;
  workflowId: string;
  publishedVersionId: string;
  status: string;
  reason: string;
  errorMessage: string | null;
}

function webhookNodes(webhookId: string, path: string): unknown[] {
  return [
    {
      parameters: { path, options: {} },
      id: webhookId,
      name: "Webhook",
      type: "n8n-nodes-base.webhook",
      typeVersion: 2,
      position: [0, 0],
      webhookId: randomUUID(),
    },
  ];
}

/**
 * Plays n8n's outbox consumer until stopped: claims each pending row, then writes the outcome as n8n's
 * reporter does (trigger statuses replaced, the row marked completed or failed with the error).
 */
function fakeN8n(db: TestDatabase, refuse: (row: OutboxRow) => string | undefined) {
  const client = new pg.Client({ connectionString: db.url });
  let running = true;
  const processed: OutboxRow[] = [];
  const loop = (async () => {
    await client.connect();
    const s = `"${db.schema}"`;
    while (running) {
      const { rows } = await client.query<OutboxRow>(
        `UPDATE ${s}.workflow_publication_outbox SET status = 'in_progress', "updatedAt" = CURRENT_TIMESTAMP(3)
          WHERE id = (SELECT id FROM ${s}.workflow_publication_outbox WHERE status = 'pending' ORDER BY id LIMIT 1) RETURNING *`,
      );
      const row = rows[0];
      if (!row) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      processed.push(row);
      const error = refuse(row);
      const [history] = (await client.query<{ nodes: Array<{ id: string; type: string }> }>(
        `SELECT nodes FROM ${s}.workflow_history WHERE "versionId" = $1`, [row.publishedVersionId])).rows;
      await client.query("BEGIN");
      await client.query(`DELETE FROM ${s}.workflow_publication_trigger_status WHERE "workflowId" = $1`, [row.workflowId]);
      for (const node of history!.nodes.filter((n) => n.type.endsWith("webhook"))) {
        await client.query(
          `INSERT INTO ${s}.workflow_publication_trigger_status ("workflowId", "nodeId", "versionId", status, "triggerKind", "errorMessage")
           VALUES ($1, $2, $3, $4, 'persisted', $5)`,
          [row.workflowId, node.id, row.publishedVersionId, error ? "failed" : "activated", error ?? null],
        );
      }
      await client.query(
        `UPDATE ${s}.workflow_publication_outbox SET status = $2, "errorMessage" = $3, "updatedAt" = CURRENT_TIMESTAMP(3) WHERE id = $1`,
        [row.id, error ? "failed" : "completed", error ?? null],
      );
      await client.query("COMMIT");
    }
    await client.end();
  })();
  return { processed, stop: async () => { running = false; await loop; } };
}

describe("publishing through n8n's outbox (2.x)", () => {
  let dev: TestDatabase;
  let prod: TestDatabase;
  const outbox = (id: string) =>
    prod.query<OutboxRow>(`SELECT * FROM "${prod.schema}".workflow_publication_outbox WHERE "workflowId" = $1 ORDER BY id`, [id]);
  const row = async (id: string) =>
    (await prod.query<{ versionId: string; activeVersionId: string | null }>(
      `SELECT trim("versionId") AS "versionId", "activeVersionId" FROM "${prod.schema}".workflow_entity WHERE id = $1`, [id]))[0]!;

  beforeAll(async () => {
    [dev, prod] = await Promise.all([createTestDatabase("n8n2"), createTestDatabase("n8n2")]);
  });
  afterAll(async () => {
    await Promise.all([dev.drop(), prod.drop()]);
  });

  /** A workflow synced to prod and published there (its first version live). */
  async function publishedInProd(nodes?: unknown[]) {
    const wf = await seedWorkflow(dev, nodes ? { nodes, connections: {} } : {});
    await applySql(prod, await exportSql(dev, wf.id));
    await prod.query(`UPDATE "${prod.schema}".workflow_entity SET active = true, "activeVersionId" = "versionId" WHERE id = $1`, [wf.id]);
    return wf;
  }

  it("queues n8n's pending row in the file's transaction: gone with a rollback, one row as n8n writes it after commit", async () => {
    const wf = await publishedInProd();
    const edit = await editWorkflow(dev, wf.id);
    const sql = await exportSql(dev, wf.id);

    const client = new pg.Client({ connectionString: prod.url });
    await client.connect();
    try {
      await client.query("BEGIN");
      for (const [name, value] of Object.entries(applySettingsGucs({ schema: prod.schema }))) await client.query("SELECT set_config($1, $2, true)", [name, value]);
      await client.query(sql);
      const inside = await client.query(`SELECT count(*)::int AS n FROM "${prod.schema}".workflow_publication_outbox WHERE "workflowId" = $1`, [wf.id]);
      expect(inside.rows[0].n).toBe(1);
      expect(await outbox(wf.id)).toEqual([]); // not visible before the file commits
      await client.query("ROLLBACK");
    } finally {
      await client.end();
    }
    expect(await outbox(wf.id)).toEqual([]);
    expect((await row(wf.id)).activeVersionId).toBe(wf.versionId);

    const [report] = await applySql(prod, sql);
    expect(report).toMatchObject({ publicationQueued: true, publishedVersionId: edit.versionId, previousPublishedVersionId: wf.versionId });
    expect(await outbox(wf.id)).toEqual([
      expect.objectContaining({ workflowId: wf.id, publishedVersionId: edit.versionId, status: "pending", reason: "publish", errorMessage: null }),
    ]);
    expect(await row(wf.id)).toEqual({ versionId: edit.versionId, activeVersionId: edit.versionId });

    // A next version while the row still waits: n8n's own upsert keeps one pending row, now of the newest version.
    const next = await editWorkflow(dev, wf.id);
    await applySql(prod, await exportSql(dev, wf.id));
    expect((await outbox(wf.id)).map((r) => [r.publishedVersionId, r.status])).toEqual([[next.versionId, "pending"]]);
  });

  it("queues nothing for an inactive or archived workflow, or with --keep-published-version; an archived active one queues its unpublish", async () => {
    const inactive = await seedWorkflow(dev);
    await applySql(prod, await exportSql(dev, inactive.id));
    await editWorkflow(dev, inactive.id);
    expect((await applySql(prod, await exportSql(dev, inactive.id)))[0]).toMatchObject({ outcome: "updated", publicationQueued: false });

    const archived = await seedWorkflow(dev);
    await applySql(prod, await exportSql(dev, archived.id));
    await prod.query(`UPDATE "${prod.schema}".workflow_entity SET "isArchived" = true WHERE id = $1`, [archived.id]);
    await editWorkflow(dev, archived.id);
    expect((await applySql(prod, await exportSql(dev, archived.id)))[0]).toMatchObject({ outcome: "updated", publicationQueued: false });

    const kept = await publishedInProd();
    await editWorkflow(dev, kept.id);
    expect((await applySql(prod, await exportSql(dev, kept.id), { publish: "keep" }))[0]).toMatchObject({ outcome: "updated", publicationQueued: false });

    for (const id of [inactive.id, archived.id, kept.id]) expect(await outbox(id)).toEqual([]);

    const archiving = await publishedInProd();
    await editWorkflow(dev, archiving.id);
    await dev.query(`UPDATE "${dev.schema}".workflow_entity SET "isArchived" = true WHERE id = $1`, [archiving.id]);
    const [report] = await applySql(prod, await exportSql(dev, archiving.id));
    expect(report).toMatchObject({ publicationQueued: true, publishedVersionId: null });
    expect((await outbox(archiving.id)).map((r) => [r.publishedVersionId, r.status])).toEqual([[archiving.versionId, "pending"]]);
  });

  it("--wait-live: says live when n8n publishes; a refused version is not live, the previous one is put back and live again, exit 3 with --fail-on-publish-error", async () => {
    const webhookId = randomUUID();
    const wf = await publishedInProd(webhookNodes(webhookId, "orders"));
    const folder = migrationsFolder();
    await prod.query(`DELETE FROM "${prod.schema}".workflow_publication_outbox`);

    // Without the flag: no waiting, the publish is said queued.
    await editWorkflow(dev, wf.id, { nodes: webhookNodes(webhookId, "orders-v2") });
    folder.write("20250301000001_orders.sql", await exportSql(dev, wf.id));
    const queued = await migrateUpScript(prod, folder);
    expect(queued.code).toBe(0);
    expect(queued.stdout).toContain(`${wf.name} (${wf.id}): publish queued: n8n applies it at its next outbox poll`);

    // --wait-live with nothing connected to the database (n8n not running): no waiting, queued for its start.
    const startEdit = await editWorkflow(dev, wf.id, { nodes: webhookNodes(webhookId, "orders-v2b") });
    folder.write("20250301000002_orders.sql", await exportSql(dev, wf.id));
    const startedAt = Date.now();
    const notRunning = await migrateUpScript(prod, folder, ["--wait-live", "30"]);
    expect(notRunning.code).toBe(0);
    expect(notRunning.stdout).toContain(`${wf.name} (${wf.id}): publish queued: n8n is not running; it applies it at its start`);
    expect(Date.now() - startedAt).toBeLessThan(20_000);
    expect((await outbox(wf.id)).map((r) => [r.publishedVersionId, r.status])).toEqual([[startEdit.versionId, "pending"]]);

    // n8n publishes it: live in n8n.
    let refused = "";
    const n8n = fakeN8n(prod, (r) => (r.publishedVersionId === refused ? TAKEN : undefined));
    try {
      await expect.poll(async () => (await outbox(wf.id)).map((r) => r.status), { timeout: 10_000 }).toEqual(["completed"]);
      const liveEdit = await editWorkflow(dev, wf.id, { nodes: webhookNodes(webhookId, "orders-v3") });
      folder.write("20250301000003_orders.sql", await exportSql(dev, wf.id));
      const live = await migrateUpScript(prod, folder, ["--wait-live", "20", "--json"]);
      expect(live.code).toBe(0);
      const json = JSON.parse(live.stdout);
      expect(json.publications).toEqual([
        expect.objectContaining({ workflowId: wf.id, versionId: liveEdit.versionId, publication: { status: "live", errors: [] } }),
      ]);

      // The next version takes a path n8n refuses: not live, the previous version put back and live again.
      const badEdit = await editWorkflow(dev, wf.id, { nodes: webhookNodes(webhookId, "taken") });
      refused = badEdit.versionId;
      folder.write("20250301000004_orders.sql", await exportSql(dev, wf.id));
      const run = await migrateUpScript(prod, folder, ["--wait-live", "20", "--fail-on-publish-error"]);
      expect(run.code).toBe(3);
      expect(run.stderr).toContain(`${wf.name} (${wf.id}): not live in n8n: Webhook: ${TAKEN}`);
      expect(run.stderr).toContain(`put the previously published version ${liveEdit.versionId} back: live again`);
      expect(await row(wf.id)).toEqual({ versionId: badEdit.versionId, activeVersionId: liveEdit.versionId });
      expect(n8n.processed.map((r) => r.publishedVersionId)).toEqual([startEdit.versionId, liveEdit.versionId, badEdit.versionId, liveEdit.versionId]);

      // status: not live with n8n's reason, the previous version serving (n8n replaced the trigger statuses
      // when it published the previous version again: the refused row's message is what stays).
      const status = await runScript("status", [], { DATABASE_URL: prod.url, MIGRATIONS_DIR: folder.migrationsDir, N8N_DB_SCHEMA: prod.schema }, folder.dir);
      expect(status.stderr).toContain(`${wf.name} (${wf.id}): not live in n8n: ${TAKEN}; its previous version ${liveEdit.versionId} is live instead`);
      const statusJson = JSON.parse((await runScript("status", ["--json"], { DATABASE_URL: prod.url, MIGRATIONS_DIR: folder.migrationsDir, N8N_DB_SCHEMA: prod.schema }, folder.dir)).stdout);
      expect(statusJson.publications).toContainEqual(
        expect.objectContaining({ workflowId: wf.id, state: "not-live", errors: [{ node: null, message: TAKEN }], servingVersionId: liveEdit.versionId }),
      );
    } finally {
      await n8n.stop();
    }
  });
});

describe("publishing on n8n 1.x", () => {
  it("says not verified without N8N_API_URL + N8N_API_KEY", async () => {
    const [dev, prod] = await Promise.all([createTestDatabase("n8n1"), createTestDatabase("n8n1")]);
    try {
      const wf = await seedWorkflow(dev);
      const folder = migrationsFolder({ "20250101000001_a.sql": await exportSql(dev, wf.id) });
      expect((await migrateUpScript(prod, folder)).code).toBe(0);
      await prod.query(`UPDATE "${prod.schema}".workflow_entity SET active = true WHERE id = $1`, [wf.id]);
      await editWorkflow(dev, wf.id);
      folder.write("20250101000002_a.sql", await exportSql(dev, wf.id));
      const run = await migrateUpScript(prod, folder, ["--wait-live", "5", "--json"]);
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout).publications).toEqual([expect.objectContaining({ workflowId: wf.id, publication: { status: "not-verified", errors: [] } })]);
    } finally {
      await Promise.all([dev.drop(), prod.drop()]);
    }
  });
});
