// Export -> apply between real n8n databases (2.x, 2.x in schema n8n, 1.x): what lands, what the
// target keeps, publishing, archiving, ownership, tags, idempotence.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { editWorkflow, ownerProjectId, seedExecutions, seedWorkflow } from "../../../src/samples/seed.ts";
import { applySql, exportSql, readFrom, snapshot, targetWorkflow } from "./helpers.ts";

describe.each(["n8n2", "n8n2schema", "n8n1"] as const)("workflow migration on %s", (fixture) => {
  let source: TestDatabase;
  let target: TestDatabase;
  const s = () => `"${target.schema}"`;
  beforeAll(async () => {
    [source, target] = await Promise.all([createTestDatabase(fixture), createTestDatabase(fixture)]);
  });
  afterAll(async () => {
    await Promise.all([source.drop(), target.drop()]);
  });

  it("lands a new workflow inactive with its definition, an owner, a history row and its tags", async () => {
    const wf = await seedWorkflow(source, {
      active: true,
      tags: ["beta", "alpha"],
      description: "multi\nline ‘description’",
      settings: { executionOrder: "v1", timezone: "Europe/Berlin", saveManualExecutions: true },
      meta: { templateId: "123" },
      nodeGroups: [{ id: "g1", name: "Group", nodeIds: [] }],
      pinData: { Start: [{ json: { a: 1 } }] },
      updatedAt: new Date("2025-03-04T05:06:07.891Z"),
    });
    const [report] = await applySql(target, await exportSql(source, wf.id));
    expect(report).toMatchObject({ workflowId: wf.id, outcome: "inserted", previousVersionId: null, reloadNeeded: false });

    const row = await targetWorkflow(target, wf.id);
    expect(row).toBeDefined();
    expect(row!.nodes).toEqual(wf.nodes);
    expect(row!.connections).toEqual(wf.connections);
    expect(row!.settings).toEqual(wf.settings);
    expect(row!.meta).toEqual(wf.meta);
    expect(row!.description).toBe(wf.description);
    expect(row!.name).toBe(wf.name);
    expect(row!.versionId).toBe(wf.versionId);
    expect(row!.updatedAt.toISOString()).toBe("2025-03-04T05:06:07.891Z");
    expect(row!.active).toBe(false);
    expect(row!.activeVersionId).toBeNull();
    expect(row!.pinData).toBeNull();
    if (fixture !== "n8n1") expect(row!.nodeGroups).toEqual(wf.nodeGroups);

    const shared = await target.query(`SELECT "projectId", role FROM ${s()}.shared_workflow WHERE "workflowId" = $1`, [wf.id]);
    expect(shared).toEqual([{ projectId: await ownerProjectId(target), role: "workflow:owner" }]);
    const history = await target.query(`SELECT "versionId", authors, nodes, name FROM ${s()}.workflow_history WHERE "workflowId" = $1`, [wf.id]);
    expect(history).toEqual([{ versionId: wf.versionId, authors: "n8n-sync", nodes: wf.nodes, name: wf.name }]);
    const tags = await target.query(
      `SELECT t.name FROM ${s()}.workflows_tags wt JOIN ${s()}.tag_entity t ON t.id = wt."tagId" WHERE wt."workflowId" = $1 ORDER BY 1`,
      [wf.id],
    );
    expect(tags.map((t) => t.name)).toEqual(["alpha", "beta"]);
    const [meta] = await target.query(`SELECT * FROM ${s()}.migration_metadata WHERE workflow_id = $1`, [wf.id]);
    expect(meta).toMatchObject({ source: "dev", outcome: "inserted", incoming_version_id: wf.versionId, result_version_id: wf.versionId, previous_version_id: null });
    expect(meta!.source_updated_at.toISOString()).toBe("2025-03-04T05:06:07.891Z");
  });

  it("carries pinData only when asked", async () => {
    const wf = await seedWorkflow(source, { pinData: { Start: [{ json: { pinned: true } }] } });
    await applySql(target, await exportSql(source, wf.id, { includePinData: true }));
    expect((await targetWorkflow(target, wf.id))!.pinData).toEqual(wf.pinData);
  });

  it("updates in place: executions, staticData, triggerCount, createdAt and ownership stay; tags follow the file", async () => {
    const wf = await seedWorkflow(source, { tags: ["keep", "drop"] });
    await applySql(target, await exportSql(source, wf.id));
    const executions = await seedExecutions(target, wf.id, 5);
    await target.query(`UPDATE ${s()}.workflow_entity SET "staticData" = '{"global":{"lastId":42}}', "triggerCount" = 3 WHERE id = $1`, [wf.id]);
    const before = await targetWorkflow(target, wf.id);

    const edit = await editWorkflow(source, wf.id, { name: "Renamed" });
    await source.query(`DELETE FROM "${source.schema}".workflows_tags WHERE "workflowId" = $1 AND "tagId" = (SELECT id FROM "${source.schema}".tag_entity WHERE name = 'drop')`, [wf.id]);
    const [report] = await applySql(target, await exportSql(source, wf.id));
    expect(report).toMatchObject({ outcome: "updated", previousVersionId: wf.versionId, incomingVersionId: edit.versionId });

    const after = await targetWorkflow(target, wf.id);
    const sourceNow = await readFrom(source, wf.id);
    expect(after!.nodes).toEqual(sourceNow.nodes);
    expect(after!.name).toBe("Renamed");
    expect(after!.versionId).toBe(edit.versionId);
    expect(after!.staticData).toEqual({ global: { lastId: 42 } });
    expect(after!.triggerCount).toBe(3);
    expect(after!.createdAt).toEqual(before!.createdAt);
    const snap = await snapshot(target, wf.id);
    expect(snap.executions!.map((e: any) => e.id)).toEqual(executions);
    expect(snap.shared).toHaveLength(1);
    expect(snap.history!.map((h: any) => h.versionId).sort()).toEqual([wf.versionId, edit.versionId].sort());
    expect(snap.tags!.map((t: any) => t.name)).toEqual(["keep"]);
  });

  it("changes nothing when the same file is applied twice", async () => {
    const wf = await seedWorkflow(source, { tags: ["x"] });
    const sql = await exportSql(source, wf.id);
    await applySql(target, sql);
    const first = await snapshot(target, wf.id);
    const [report] = await applySql(target, sql);
    expect(report!.outcome).toBe("unchanged");
    expect(await snapshot(target, wf.id)).toEqual(first);
  });

  it("publishes the new version of an active workflow, or keeps the published one when asked", async () => {
    for (const publish of ["publish", "keep"] as const) {
      const wf = await seedWorkflow(source);
      await applySql(target, await exportSql(source, wf.id));
      await target.query(`UPDATE ${s()}.workflow_entity SET active = true, "activeVersionId" = "versionId" WHERE id = $1`, [wf.id]);
      const edit = await editWorkflow(source, wf.id);
      const [report] = await applySql(target, await exportSql(source, wf.id), { publish });
      const row = await targetWorkflow(target, wf.id);
      expect(row!.active).toBe(true);
      expect(row!.versionId).toBe(edit.versionId);
      expect(row!.activeVersionId).toBe(publish === "publish" ? edit.versionId : wf.versionId);
      expect(report!.reloadNeeded).toBe(publish === "publish");
    }
  });

  it("archives like n8n: an archived version deactivates the target and is never published", async () => {
    const wf = await seedWorkflow(source);
    await applySql(target, await exportSql(source, wf.id));
    await target.query(`UPDATE ${s()}.workflow_entity SET active = true, "activeVersionId" = "versionId" WHERE id = $1`, [wf.id]);
    await editWorkflow(source, wf.id);
    await source.query(`UPDATE "${source.schema}".workflow_entity SET "isArchived" = true WHERE id = $1`, [wf.id]);
    const [report] = await applySql(target, await exportSql(source, wf.id));
    const row = await targetWorkflow(target, wf.id);
    expect(row).toMatchObject({ isArchived: true, active: false, activeVersionId: null });
    expect(report!.reloadNeeded).toBe(true);
  });

  it("gives a new workflow the configured project, and fails without writing when it does not exist", async () => {
    const [project] = await target.query<{ id: string }>(
      `INSERT INTO ${s()}.project (id, name, type) VALUES ('teamProject00001', 'Team', 'team') RETURNING id`,
    );
    const wf = await seedWorkflow(source);
    await applySql(target, await exportSql(source, wf.id), { projectId: project!.id });
    expect(await target.query(`SELECT "projectId" FROM ${s()}.shared_workflow WHERE "workflowId" = $1`, [wf.id])).toEqual([
      { projectId: project!.id },
    ]);

    const other = await seedWorkflow(source);
    await expect(applySql(target, await exportSql(source, other.id), { projectId: "noSuchProject000" })).rejects.toThrow(
      /project noSuchProject000 \(N8N_PROJECT_ID\) not found/,
    );
    expect(await targetWorkflow(target, other.id)).toBeUndefined();
  });

  it("keeps an existing owner and adds one to a workflow that has none, even at the same version", async () => {
    const owned = await seedWorkflow(target, { projectId: null });
    await target.query(`INSERT INTO ${s()}.project (id, name, type) VALUES ('otherProject0001', 'Other', 'team')`);
    await target.query(`INSERT INTO ${s()}.shared_workflow ("workflowId", "projectId", role) VALUES ($1, 'otherProject0001', 'workflow:owner')`, [owned.id]);
    const orphan = await seedWorkflow(target, { projectId: null });
    for (const wf of [owned, orphan]) {
      await seedWorkflow(source, { id: wf.id, name: wf.name, updatedAt: new Date(Date.now() + 60_000) });
      await applySql(target, await exportSql(source, wf.id));
    }
    // already at the file's version, but invisible without an owner
    const sameVersion = await seedWorkflow(target, { projectId: null });
    await seedWorkflow(source, { id: sameVersion.id, versionId: sameVersion.versionId });
    const [report] = await applySql(target, await exportSql(source, sameVersion.id));
    expect(report!.outcome).toBe("unchanged");

    const owners = async (id: string) =>
      (await target.query(`SELECT "projectId" FROM ${s()}.shared_workflow WHERE "workflowId" = $1`, [id])).map((r) => r.projectId);
    expect(await owners(owned.id)).toEqual(["otherProject0001"]);
    expect(await owners(orphan.id)).toEqual([await ownerProjectId(target)]);
    expect(await owners(sameVersion.id)).toEqual([await ownerProjectId(target)]);
  });
});

describe("across n8n generations", () => {
  it.each([
    ["n8n2", "n8n1"],
    ["n8n1", "n8n2schema"],
  ] as const)("a workflow from %s applies to %s", async (from, to) => {
    const [source, target] = await Promise.all([createTestDatabase(from), createTestDatabase(to)]);
    try {
      const wf = await seedWorkflow(source, { nodeGroups: [{ id: "g" }] });
      const [report] = await applySql(target, await exportSql(source, wf.id));
      expect(report!.outcome).toBe("inserted");
      const row = await targetWorkflow(target, wf.id);
      expect(row!.nodes).toEqual(wf.nodes);
      if (to === "n8n1") expect(row).not.toHaveProperty("nodeGroups");
      else expect(row!.nodeGroups).toEqual([]);
    } finally {
      await Promise.all([source.drop(), target.drop()]);
    }
  });
});

describe("finding n8n's schema", () => {
  it("waits on a database n8n never started on: under migrate-up's settings and under psql, records the statement in supabase_migrations only", async () => {
    const empty = await createTestDatabase("empty");
    const source = await createTestDatabase("n8n2");
    try {
      const wf = await seedWorkflow(source, { name: "Early" });
      const sql = await exportSql(source, wf.id, { migration: "20250101000001_early.sql" });
      const reports = await applySql({ url: empty.url, schema: "public" }, sql);
      expect(reports).toEqual([expect.objectContaining({ workflowId: wf.id, name: "Early", outcome: "waiting", reason: "n8n has not created its tables in this database yet" })]);
      await expect(empty.query("SELECT to_regclass('public.migration_metadata') AS t")).resolves.toEqual([{ t: null }]);
      // psql sends the statement alone; what it records is the file's DO statement, byte for byte.
      const dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-psql-"));
      writeFileSync(path.join(dir, "f.sql"), sql);
      const psql = spawnSync("psql", ["-X", "-v", "ON_ERROR_STOP=1", "-d", empty.url, "-f", path.join(dir, "f.sql")], { encoding: "utf8" });
      expect(psql.status, psql.stderr).toBe(0);
      expect(psql.stderr).toContain(`n8n-sync: "Early" (${wf.id}) waits for n8n's tables`);
      const [row] = await empty.query<{ statement: string }>("SELECT statement FROM supabase_migrations.n8n_sync_waiting");
      expect(row!.statement).toBe(sql.slice(sql.indexOf("DO $n8n_sync"), sql.lastIndexOf("$n8n_sync") + "$n8n_sync$".length));
    } finally {
      await Promise.all([empty.drop(), source.drop()]);
    }
  });

  it("finds the schema by itself when unset, and asks for it when several schemas hold n8n's tables", async () => {
    const source = await createTestDatabase("n8n2");
    const target = await createTestDatabase("n8n2schema");
    try {
      const wf = await seedWorkflow(source);
      const sql = await exportSql(source, wf.id);
      // as Supabase CLI or psql would run it: no settings
      await target.query(sql);
      expect(await target.query(`SELECT id FROM n8n.workflow_entity WHERE id = $1`, [wf.id])).toHaveLength(1);
      await target.query(`CREATE TABLE public.workflow_entity (id text)`);
      const other = await seedWorkflow(source);
      await expect(target.query(await exportSql(source, other.id))).rejects.toThrow(/several schemas \(n8n, public\): set n8n_sync.schema/);
    } finally {
      await Promise.all([source.drop(), target.drop()]);
    }
  });
});
