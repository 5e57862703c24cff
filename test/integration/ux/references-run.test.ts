// The commands around references, run as real processes: export --with-dependencies puts the called
// workflow in an earlier file; migrate-up --dry-run and --json say what would stay unresolved;
// --fail-on-missing-references exits 3 with nothing applied; the run prints the reference lines and
// n8n:status lists what the last applied file left unresolved (a missing variable, an unpublished callee).
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { dataTableNode, executeWorkflowNode, folderPath, moveWorkflow, sampleNodes, seedDataTable, seedProject, seedVariable, seedWorkflow } from "../../../src/samples/seed.ts";
import { historyRows } from "../migrations/helpers.ts";
import { envFor, newFolder, runScript, type Folder } from "./helpers.ts";

describe("references through the commands", () => {
  let dev: TestDatabase;
  let prod: TestDatabase;
  let child: { id: string };
  let parent: { id: string };
  beforeAll(async () => {
    [dev, prod] = await Promise.all([createTestDatabase("n8n2"), createTestDatabase("n8n2")]);
    const ops = await seedProject(dev, "Ops");
    const alerts = await folderPath(dev, ops, ["Alerts"]);
    const table = await seedDataTable(dev, { name: "alerts", projectId: ops });
    const grandchild = await seedWorkflow(dev, { name: "Grandchild", projectId: ops });
    child = await seedWorkflow(dev, { name: "Child", projectId: ops, nodes: [...sampleNodes(), executeWorkflowNode("Deeper", { id: grandchild.id, name: "Grandchild" })] });
    parent = await seedWorkflow(dev, {
      name: "Parent",
      projectId: ops,
      active: true,
      nodes: [...sampleNodes("={{ $vars.ALERT_CHANNEL }}"), dataTableNode("Insert", { id: table, name: "alerts", projectId: ops }), executeWorkflowNode("Run child", { id: child.id, name: "Child" })],
    });
    await moveWorkflow(dev, parent.id, alerts);
    const prodOps = await seedProject(prod, "Ops");
    await seedDataTable(prod, { name: "alerts", projectId: prodOps });
  });
  afterAll(async () => {
    await Promise.all([dev.drop(), prod.drop()]);
  });

  const exportTo = (folder: Folder, args: string[]) => runScript("export", args, envFor(dev, folder), folder.dir);
  const migrateUp = (folder: Folder, args: string[] = []) => runScript("migrate-up", args, envFor(prod, folder), folder.dir);
  const workflowFiles = (folder: Folder) => readdirSync(folder.migrationsDir).filter((f) => f.endsWith(".sql")).sort();

  it("exports callees first with --with-dependencies, plans, refuses with exit 3, applies, and reports in status", async () => {
    const alone = newFolder();
    expect((await exportTo(alone, ["Parent"])).code).toBe(0);
    expect(workflowFiles(alone)).toEqual([expect.stringMatching(/_parent\.sql$/)]);

    const all = newFolder();
    const exported = await exportTo(all, ["Parent", "--with-dependencies"]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain(`with dependencies: "Child" (${child.id}) is called by the selection`);
    expect(workflowFiles(all).map((f) => f.replace(/^\d+_/, ""))).toEqual(["grandchild.sql", "child.sql", "parent.sql"]);

    // The parent alone: the dry run names what prod lacks; --json carries it per pending file.
    const dry = await migrateUp(alone, ["--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`missing sub-workflow "Child" (${child.id}) called by node "Run child": sync it too`);
    expect(dry.stdout).toContain("missing variable $vars.ALERT_CHANNEL");
    const json = JSON.parse((await migrateUp(alone, ["--dry-run", "--json"])).stdout);
    expect(json.pending[0].references).toContainEqual(expect.objectContaining({ kind: "dataTable", status: "remapped", name: "alerts" }));
    expect(json.pending[0].references).toContainEqual(expect.objectContaining({ kind: "workflow", status: "missing", id: child.id }));
    expect(await prod.query(`SELECT 1 FROM folder`)).toEqual([]); // the rehearsal left nothing behind

    const refused = await migrateUp(alone, ["--fail-on-missing-references"]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/2 references would stay unresolved .*nothing applied/);
    expect(await historyRows(prod).catch(() => [])).toEqual([]);
    expect(await prod.query(`SELECT id FROM workflow_entity`)).toEqual([]);

    // With its callees and the variable, nothing is missing: the same flag applies everything.
    await seedVariable(prod, { key: "ALERT_CHANNEL" });
    const applied = await migrateUp(all, ["--fail-on-missing-references", "--json"]);
    expect(applied.code).toBe(0);
    const run = JSON.parse(applied.stdout);
    expect(run.applied.map((file: { reports: Array<{ name: string }> }) => file.reports[0]!.name)).toEqual(["Grandchild", "Child", "Parent"]);
    const [placed] = await prod.query<{ folder: string; project: string }>(
      `SELECT f.name AS folder, p.name AS project FROM workflow_entity w JOIN folder f ON f.id = w."parentFolderId"
         JOIN shared_workflow s ON s."workflowId" = w.id JOIN project p ON p.id = s."projectId" WHERE w.id = $1`,
      [parent.id],
    );
    expect(placed).toEqual({ folder: "Alerts", project: "Ops" });

    // Applied without the flag, an unresolved reference is printed and stays visible in status.
    await prod.query(`DELETE FROM variables WHERE key = 'ALERT_CHANNEL'`);
    await prod.query(`UPDATE workflow_entity SET active = true WHERE id = $1`, [parent.id]);
    await dev.query(`UPDATE workflow_entity SET "versionId" = gen_random_uuid(), "updatedAt" = now() WHERE id = $1`, [parent.id]);
    expect((await exportTo(all, ["Parent"])).code).toBe(0);
    const laterRun = await migrateUp(all);
    expect(laterRun.code).toBe(0);
    expect(laterRun.stdout).toContain("    missing variable $vars.ALERT_CHANNEL");
    const status = await runScript("status", [], envFor(prod, all), all.dir);
    expect(status.stdout + status.stderr).toMatch(/unresolved\s+Parent \(\w+\): missing variable \$vars\.ALERT_CHANNEL \(\d+_parent\.sql\)/);
    // Parent is active here and Child arrived inactive, as every new workflow does: the call fails when
    // it runs, so status says so until Child is published.
    expect(status.stdout + status.stderr).toContain(`unresolved    Parent (${parent.id}): unpublished sub-workflow "Child" (${child.id}) called by node "Run child": publish it here`);
  });
});
