// rollback on real databases: a NEW migration restoring an earlier version (from workflow_history or a
// migration file) that, applied with migrate-up, brings the earlier definition back everywhere while
// the earlier migration files stay byte for byte as they were.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rollbackWorkflow } from "../../../src/rollback/rollback.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { editWorkflow, sampleNodes, seedExecutions, seedWorkflow } from "../../../src/samples/seed.ts";
import { envFor, exportFrom, migrate, newFolder, runScript, steppingClock, type Folder } from "./helpers.ts";

function fingerprints(folder: Folder): Record<string, string> {
  return Object.fromEntries(
    readdirSync(folder.migrationsDir).map((file) => [file, createHash("sha256").update(readFileSync(path.join(folder.migrationsDir, file))).digest("hex")]),
  );
}

describe("rollback", () => {
  let dev: TestDatabase;
  let prod: TestDatabase;
  let folder: Folder;
  const clock = steppingClock();
  const nodesOf = async (db: TestDatabase, id: string) =>
    (await db.query<{ nodes: unknown; versionId: string }>(`SELECT nodes, "versionId" FROM workflow_entity WHERE id = $1`, [id]))[0]!;

  beforeAll(async () => {
    [dev, prod] = await Promise.all([createTestDatabase("n8n2"), createTestDatabase("n8n2")]);
    folder = newFolder();
  });
  afterAll(async () => {
    await Promise.all([dev.drop(), prod.drop()]);
  });

  it("restores the previous version through a new file that migrate-up applies; old files untouched", async () => {
    const good = sampleNodes("good");
    const wf = await seedWorkflow(dev, { name: "image_processing_pipeline", nodes: good, updatedAt: new Date("2025-01-01T00:00:00Z") });
    await exportFrom(dev, folder, ["image_processing_pipeline"], clock);
    await migrate(prod, folder);
    const executions = await seedExecutions(prod, wf.id, 3);

    const bad = sampleNodes("bad");
    const badVersion = await editWorkflow(dev, wf.id, { nodes: bad, at: new Date("2025-01-02T00:00:00Z") });
    await exportFrom(dev, folder, ["image_processing_pipeline"], clock);
    await migrate(prod, folder);
    expect((await nodesOf(prod, wf.id)).nodes).toEqual(bad);
    const before = fingerprints(folder);

    const result = await rollbackWorkflow({
      databaseUrl: dev.url,
      schema: dev.schema,
      migrationsDir: folder.migrationsDir,
      workflow: "image_processing_pipeline",
      to: "previous",
      clock,
    });
    expect(result).toMatchObject({ workflowId: wf.id, currentVersionId: badVersion.versionId, restoredVersionId: wf.versionId, restoredFrom: "workflow_history" });
    expect(result.file).toMatch(/^\d{14}_rollback_image_processing_pipeline\.sql$/);
    const after = fingerprints(folder);
    expect(Object.keys(after)).toEqual([...Object.keys(before), result.file].sort());
    for (const [file, hash] of Object.entries(before)) expect(after[file]).toBe(hash);

    for (const db of [prod, dev]) {
      const run = await migrate(db, folder);
      expect(run.status).toBe("ok");
      expect(run.applied.at(-1)?.reports[0]).toMatchObject({ workflowId: wf.id, incomingVersionId: result.newVersionId });
      const row = await nodesOf(db, wf.id);
      expect(row.nodes).toEqual(good);
      expect(row.versionId).toBe(result.newVersionId);
    }
    const kept = await prod.query<{ id: number }>(`SELECT id FROM execution_entity WHERE "workflowId" = $1 ORDER BY id`, [wf.id]);
    expect(kept.map((r) => r.id)).toEqual(executions);
  });

  it("restores a version only a migration file still has", async () => {
    const first = sampleNodes("first");
    const wf = await seedWorkflow(dev, { name: "analytics_aggregator", nodes: first, updatedAt: new Date("2025-01-01T00:00:00Z") });
    const [firstFile] = (await exportFrom(dev, folder, ["analytics_aggregator"], clock)).written;
    await editWorkflow(dev, wf.id, { at: new Date("2025-01-02T00:00:00Z") });
    await dev.query(`DELETE FROM workflow_history WHERE "versionId" = $1`, [wf.versionId]);

    const run = await runScript("rollback", ["--workflow", wf.id, "--to", wf.versionId, "--json"], envFor(dev, folder), folder.dir);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ workflowId: wf.id, restoredVersionId: wf.versionId, restoredFrom: firstFile!.file });

    await migrate(dev, folder);
    expect((await nodesOf(dev, wf.id)).nodes).toEqual(first);
  });

  it("writes the restored definition under a NEW versionId, never the earlier one (docs/rollback.md)", async () => {
    const v1 = sampleNodes("v1");
    const wf = await seedWorkflow(dev, { name: "invoice_reminder", nodes: v1, updatedAt: new Date("2025-01-01T00:00:00Z") });
    const current = await editWorkflow(dev, wf.id, { nodes: sampleNodes("v2"), at: new Date("2025-01-02T00:00:00Z") });
    const result = await rollbackWorkflow({ databaseUrl: dev.url, schema: dev.schema, migrationsDir: folder.migrationsDir, workflow: wf.id, to: "previous", clock });

    expect(result.restoredVersionId).toBe(wf.versionId);
    expect(result.newVersionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([wf.versionId, current.versionId]).not.toContain(result.newVersionId);
    const sql = readFileSync(result.path, "utf8");
    expect(sql).toContain(`\n-- Version ID: ${result.newVersionId}\n`);
    expect(sql).toContain(`in_version_id       constant text        := '${result.newVersionId}';`);
    await migrate(dev, folder);
    const row = await nodesOf(dev, wf.id);
    expect(row).toEqual({ nodes: v1, versionId: result.newVersionId });
  });

  it("--to previous from the migration files takes the newest earlier file, not the oldest", async () => {
    const wf = await seedWorkflow(dev, { name: "lead_scoring", nodes: sampleNodes("one"), updatedAt: new Date("2025-01-01T00:00:00Z") });
    const [oldest] = (await exportFrom(dev, folder, ["lead_scoring"], clock)).written;
    const second = await editWorkflow(dev, wf.id, { nodes: sampleNodes("two"), at: new Date("2025-01-02T00:00:00Z") });
    const [newer] = (await exportFrom(dev, folder, ["lead_scoring"], clock)).written;
    const third = await editWorkflow(dev, wf.id, { nodes: sampleNodes("three"), at: new Date("2025-01-03T00:00:00Z") });
    await exportFrom(dev, folder, ["lead_scoring"], clock);
    // History pruned: only the files know the earlier versions.
    await dev.query(`DELETE FROM workflow_history WHERE "workflowId" = $1`, [wf.id]);

    const result = await rollbackWorkflow({ databaseUrl: dev.url, schema: dev.schema, migrationsDir: folder.migrationsDir, workflow: wf.id, to: "previous", clock });
    expect(result).toMatchObject({ currentVersionId: third.versionId, restoredVersionId: second.versionId, restoredFrom: newer!.file });
    expect(result.restoredFrom).not.toBe(oldest!.file);
  });

  it("says what to do for an unknown workflow or version, and needs --workflow and --to", async () => {
    const env = envFor(dev, folder);
    const typo = await runScript("rollback", ["--workflow", "analytics_agregator", "--to", "previous"], env, folder.dir);
    expect(typo.code).toBe(1);
    expect(typo.stderr.trim()).toBe('error: no workflow named or with id "analytics_agregator" (did you mean "analytics_aggregator"?)');

    const version = await runScript("rollback", ["--workflow", "analytics_aggregator", "--to", "nope"], env, folder.dir);
    expect(version.code).toBe(1);
    expect(version.stderr).toMatch(/^error: analytics_aggregator \(\w+\): version nope not found in workflow_history or the migration files; recent versions: .+; or use --to previous\n$/);

    const usage = await runScript("rollback", ["--workflow", "analytics_aggregator"], env, folder.dir);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("required option '--to <versionId|previous>' not specified");
  });
});

describe.each(["n8n1", "n8n2schema"] as const)("rollback on %s", (fixture) => {
  it("restores the previous version from workflow_history", async () => {
    const db = await createTestDatabase(fixture);
    try {
      const folder = newFolder();
      const first = sampleNodes("first");
      const wf = await seedWorkflow(db, { name: "customer_feedback_router", nodes: first, updatedAt: new Date("2025-01-01T00:00:00Z") });
      await editWorkflow(db, wf.id, { at: new Date("2025-01-02T00:00:00Z") });
      const result = await rollbackWorkflow({ databaseUrl: db.url, schema: db.schema, migrationsDir: folder.migrationsDir, workflow: wf.id, to: "previous" });
      expect(result.restoredVersionId).toBe(wf.versionId);
      expect((await migrate(db, folder)).status).toBe("ok");
      const [row] = await db.query(`SELECT nodes, "versionId"::text AS "versionId" FROM "${db.schema}".workflow_entity WHERE id = $1`, [wf.id]);
      expect(row).toEqual({ nodes: first, versionId: result.newVersionId });
    } finally {
      await db.drop();
    }
  });
});
