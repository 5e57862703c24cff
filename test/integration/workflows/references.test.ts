// Everything a workflow points at arrives with it: its team project (by name), its folder path (reused or
// made in that project, never duplicated), its data tables (remapped by name in that project, value and
// cachedResultUrl), and reports for what the target lacks (sub-workflows, unpublished callees, $vars,
// team projects, tables). Decoys: same-named folders and tables in another project, a similar project name.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unresolvedReferences } from "../../../src/workflows/report.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import {
  dataTableNode,
  editWorkflow,
  executeWorkflowNode,
  folderPath,
  moveWorkflow,
  ownerProjectId,
  sampleNodes,
  seedDataTable,
  seedFolder,
  seedProject,
  seedVariable,
  seedWorkflow,
} from "../../../src/samples/seed.ts";
import { applySql, exportSql, targetWorkflow } from "./helpers.ts";

describe.each(["n8n2", "n8n2schema", "n8n1"] as const)("references on %s", (fixture) => {
  let source: TestDatabase;
  let target: TestDatabase;
  const t = (name: string) => `"${target.schema}"."${name}"`;
  beforeAll(async () => {
    [source, target] = await Promise.all([createTestDatabase(fixture), createTestDatabase(fixture)]);
  });
  afterAll(async () => {
    await Promise.all([source.drop(), target.drop()]);
  });

  const ownerOf = async (id: string) =>
    (await target.query<{ projectId: string }>(`SELECT "projectId" FROM ${t("shared_workflow")} WHERE "workflowId" = $1 AND role = 'workflow:owner'`, [id]))[0]
      ?.projectId;
  const folderRows = (projectId: string, name: string) =>
    target.query<{ id: string; parentFolderId: string | null }>(`SELECT id, "parentFolderId" FROM ${t("folder")} WHERE "projectId" = $1 AND name = $2`, [projectId, name]);

  it("lands in the same-named team project and folder path, remaps its data table, reports what is missing, and never duplicates folders", async () => {
    // Source: Ops/Alerts/Critical holds a workflow that writes to Ops's "alerts" table, calls a child
    // that the target lacks, and uses two variables.
    const ops = await seedProject(source, "Ops");
    const sourceFolder = await folderPath(source, ops, ["Alerts", "Critical"]);
    const sourceTable = await seedDataTable(source, { name: "alerts", projectId: ops });
    const child = await seedWorkflow(source, { name: "Child", projectId: ops });
    const nodes = [
      ...sampleNodes("={{ $vars.API_URL }} {{ $vars['MISSING_VAR'] }} {{ $vars.OPS_ONLY }}"),
      dataTableNode("Insert alert", { id: sourceTable, name: "alerts", projectId: ops }),
      executeWorkflowNode("Run child", { id: child.id, name: "Child" }),
    ];
    const parent = await seedWorkflow(source, { name: "Parent", projectId: ops, nodes });
    await moveWorkflow(source, parent.id, sourceFolder);

    // Target: its own Ops (other id) with Alerts already there; decoys everywhere else.
    const targetOps = await seedProject(target, "Ops");
    await seedProject(target, "Ops Team");
    const other = await seedProject(target, "Other");
    const alerts = await seedFolder(target, { name: "Alerts", projectId: targetOps });
    await seedFolder(target, { name: "Alerts", projectId: other });
    await folderPath(target, other, ["Alerts", "Critical"]);
    await seedDataTable(target, { name: "alerts", projectId: other });
    const targetTable = await seedDataTable(target, { name: "alerts", projectId: targetOps });
    await seedVariable(target, { key: "API_URL" });
    await seedVariable(target, { key: "MISSING_VAR", projectId: other });
    await seedVariable(target, { key: "OPS_ONLY", projectId: targetOps });
    // The decoy folders are older than Ops's own: a lookup by name and parent alone (not the project)
    // would take them, since the oldest match wins.
    await target.query(`UPDATE ${t("folder")} SET "createdAt" = "createdAt" - interval '1 day' WHERE "projectId" = $1`, [other]);

    const [report] = await applySql(target, await exportSql(source, parent.id));
    expect(report!.outcome).toBe("inserted");
    expect(await ownerOf(parent.id)).toBe(targetOps);

    const [critical, ...more] = await folderRows(targetOps, "Critical");
    expect(more).toEqual([]);
    expect(critical!.parentFolderId).toBe(alerts);
    expect(critical!.id).toMatch(/^[0-9A-Za-z]{16}$/);
    expect((await folderRows(targetOps, "Alerts")).map((f) => f.id)).toEqual([alerts]);
    const row = await targetWorkflow(target, parent.id);
    expect(row!.parentFolderId).toBe(critical!.id);

    const locator = row!.nodes[2].parameters.dataTableId;
    expect(locator.value).toBe(targetTable);
    expect(locator.cachedResultUrl).toBe(`/projects/${targetOps}/datatables/${targetTable}`);
    expect(locator.cachedResultName).toBe("alerts");
    // Nothing else in the nodes changed.
    expect(row!.nodes.filter((_: unknown, i: number) => i !== 2)).toEqual(nodes.filter((_, i) => i !== 2));
    // n8n 2.x runs an active workflow's published version from its history row: the same remapped table.
    const [history] = await target.query<{ nodes: any[] }>(`SELECT nodes FROM ${t("workflow_history")} WHERE "versionId" = $1`, [row!.versionId]);
    expect(history!.nodes).toEqual(row!.nodes);

    const unresolved = unresolvedReferences(report!);
    expect(unresolved).toEqual([`missing sub-workflow "Child" (${child.id}) called by node "Run child": sync it too`, "missing variable $vars.MISSING_VAR"]);
    expect(report!.references).toContainEqual(expect.objectContaining({ kind: "dataTable", status: "remapped", id: targetTable, name: "alerts" }));
    const [meta] = await target.query<{ notes: string; unresolved: string[] }>(
      `SELECT notes, unresolved FROM ${t("migration_metadata")} WHERE workflow_id = $1`,
      [parent.id],
    );
    expect(meta!.unresolved).toEqual(unresolved);
    for (const line of unresolved) expect(meta!.notes).toContain(line);

    // A new version and the same file again: the same folders, the same place, no duplicates.
    await editWorkflow(source, parent.id, { nodes });
    const [update] = await applySql(target, await exportSql(source, parent.id));
    expect(update!.outcome).toBe("updated");
    expect(await folderRows(targetOps, "Critical")).toEqual([critical]);
    expect((await targetWorkflow(target, parent.id))!.parentFolderId).toBe(critical!.id);
    const again = await exportSql(source, parent.id);
    await applySql(target, again);
    await applySql(target, again);
    const [{ count }] = (await target.query<{ count: string }>(`SELECT count(*) FROM ${t("folder")}`)) as [{ count: string }];
    expect(Number(count)).toBe(4); // Alerts + Critical in Ops; Alerts + Alerts/Critical in Other

    // Moved in the source (n8n-sync's place unchanged here): the target follows, reusing Alerts.
    await moveWorkflow(source, parent.id, await folderPath(source, ops, ["Alerts", "Resolved"]));
    await editWorkflow(source, parent.id, { nodes });
    await applySql(target, await exportSql(source, parent.id));
    const [resolved] = await folderRows(targetOps, "Resolved");
    expect(resolved!.parentFolderId).toBe(alerts);
    expect((await targetWorkflow(target, parent.id))!.parentFolderId).toBe(resolved!.id);
    expect(await folderRows(targetOps, "Critical")).toEqual([critical]); // folders are never moved or deleted

    // Moved in the target: the next version stays where it was moved, and says so.
    const elsewhere = await seedFolder(target, { name: "Triage", projectId: targetOps });
    await moveWorkflow(target, parent.id, elsewhere);
    await editWorkflow(source, parent.id, { nodes });
    const [moved] = await applySql(target, await exportSql(source, parent.id));
    expect(moved!.outcome).toBe("updated");
    expect((await targetWorkflow(target, parent.id))!.parentFolderId).toBe(elsewhere);
    expect(moved!.references).toContainEqual(expect.objectContaining({ kind: "folder", status: "kept" }));
    expect(unresolvedReferences(moved!)).not.toContainEqual(expect.stringContaining("folder"));
    // ...and keeps following the source only once n8n-sync's place is where it is again.
    await editWorkflow(source, parent.id, { nodes });
    await applySql(target, await exportSql(source, parent.id));
    expect((await targetWorkflow(target, parent.id))!.parentFolderId).toBe(elsewhere);
  });

  it("takes a team project only when exactly one has the name; else the owner's personal project, reported; N8N_PROJECT_ID wins; ownership stays", async () => {
    const personal = await ownerProjectId(target);
    const lonely = await seedWorkflow(source, { projectId: await seedProject(source, "Finance") });
    await seedProject(target, "Finance team"); // a similar name is no match
    const [none] = await applySql(target, await exportSql(source, lonely.id));
    expect(await ownerOf(lonely.id)).toBe(personal);
    expect(unresolvedReferences(none!)).toEqual([`no team project named "Finance" here: owned by the instance owner's personal project`]);

    const twice = await seedWorkflow(source, { projectId: await seedProject(source, "Twice") });
    await seedProject(target, "Twice");
    await seedProject(target, "Twice");
    const [several] = await applySql(target, await exportSql(source, twice.id));
    expect(await ownerOf(twice.id)).toBe(personal);
    expect(unresolvedReferences(several!)).toEqual([`2 team projects named "Twice" here: owned by the instance owner's personal project`]);

    const fromPersonal = await seedWorkflow(source);
    const [mine] = await applySql(target, await exportSql(source, fromPersonal.id));
    expect(await ownerOf(fromPersonal.id)).toBe(personal);
    expect(unresolvedReferences(mine!)).toEqual([]);

    const sales = await seedProject(source, "Sales");
    const targetSales = await seedProject(target, "Sales");
    const chosen = await seedProject(target, "Chosen");
    const explicit = await seedWorkflow(source, { projectId: sales });
    await applySql(target, await exportSql(source, explicit.id), { projectId: chosen });
    expect(await ownerOf(explicit.id)).toBe(chosen);

    // Already here, owned by the personal project: an update keeps that owner (and its folders there).
    const existing = await seedWorkflow(source, { projectId: sales });
    await applySql(target, await exportSql(source, existing.id));
    expect(await ownerOf(existing.id)).toBe(targetSales);
    await target.query(`UPDATE ${t("shared_workflow")} SET "projectId" = $2 WHERE "workflowId" = $1`, [existing.id, personal]);
    await editWorkflow(source, existing.id);
    const [update] = await applySql(target, await exportSql(source, existing.id));
    expect(update!.outcome).toBe("updated");
    expect(await ownerOf(existing.id)).toBe(personal);
  });

  it("stops with one line, writing nothing, when N8N_PROJECT_ID names no project; waits for an owner when the instance has none yet", async () => {
    const fresh = await createTestDatabase(fixture);
    try {
      const wf = await seedWorkflow(source);
      const sql = await exportSql(source, wf.id);
      await expect(applySql(fresh, sql, { projectId: "noSuchProject0000" })).rejects.toThrow(
        "project noSuchProject0000 (N8N_PROJECT_ID) not found in this n8n database: use the id of an existing project",
      );
      await fresh.query(`UPDATE "${fresh.schema}"."user" SET "roleSlug" = 'global:member'`);
      // Without an owner a new workflow would be invisible in n8n: the file waits for n8n's setup (issue 20).
      const [waits] = await applySql(fresh, sql);
      expect(waits).toMatchObject({ workflowId: wf.id, outcome: "waiting", reason: "n8n has no owner account yet for this new workflow (finish its setup)" });
      expect(await fresh.query(`SELECT workflow_id FROM supabase_migrations.n8n_sync_waiting`)).toEqual([{ workflow_id: wf.id }]);
      expect(await targetWorkflow(fresh, wf.id)).toBeUndefined();
      expect(await fresh.query(`SELECT to_regclass('"${fresh.schema}".migration_metadata') AS t`)).toEqual([{ t: null }]);
    } finally {
      await fresh.drop();
    }
  });

  it("adds its columns to a migration_metadata table written before folders travelled, and treats the old rows as the root", async () => {
    const wf = await seedWorkflow(source);
    await applySql(target, await exportSql(source, wf.id));
    await target.query(`ALTER TABLE ${t("migration_metadata")} DROP COLUMN result_folder_id, DROP COLUMN unresolved`);
    const project = await seedProject(source, "Moved later");
    await source.query(`UPDATE "${source.schema}".shared_workflow SET "projectId" = $2 WHERE "workflowId" = $1`, [wf.id, project]);
    await moveWorkflow(source, wf.id, await folderPath(source, project, ["Later"]));
    await editWorkflow(source, wf.id);
    const [report] = await applySql(target, await exportSql(source, wf.id));
    expect(report!.outcome).toBe("updated");
    const [later] = await target.query<{ name: string }>(`SELECT f.name FROM ${t("workflow_entity")} w JOIN ${t("folder")} f ON f.id = w."parentFolderId" WHERE w.id = $1`, [wf.id]);
    expect(later).toEqual({ name: "Later" });
  });

  it("keeps a data table id it cannot match in the workflow's project and reports it by name; mode id is remapped too; mode name needs nothing", async () => {
    const project = await seedProject(source, "Data");
    const targetProject = await seedProject(target, "Data");
    const [logs, metrics, byName] = await Promise.all(["logs", "metrics", "named"].map((name) => seedDataTable(source, { name, projectId: project })));
    await seedDataTable(target, { name: "logs", projectId: await seedProject(target, "Elsewhere") }); // decoy in another project
    const targetMetrics = await seedDataTable(target, { name: "metrics", projectId: targetProject });
    const nodes = [
      dataTableNode("Logs", { id: logs!, name: "logs", projectId: project }),
      dataTableNode("Metrics", { id: metrics!, name: "metrics", projectId: project }, "id"),
      dataTableNode("By name", { id: byName!, name: "named", projectId: project }, "name"),
    ];
    const wf = await seedWorkflow(source, { projectId: project, nodes });
    const [report] = await applySql(target, await exportSql(source, wf.id));
    expect(unresolvedReferences(report!)).toEqual([`missing data table "logs" of node "Logs" (none of that name in the workflow's project here)`]);
    const expected = structuredClone(nodes) as any[];
    expected[1].parameters.dataTableId.value = targetMetrics;
    expect((await targetWorkflow(target, wf.id))!.nodes).toEqual(expected);
  });

  it("reports callees this database has not published while the caller is active here, and expression calls once", async () => {
    const child = await seedWorkflow(source, { name: "Unpublished child" });
    const live = await seedWorkflow(source, { name: "Published child", active: true });
    const nodes = [
      ...sampleNodes(),
      executeWorkflowNode("Call v1", { id: child.id, name: "Unpublished child" }, 1),
      executeWorkflowNode("Call live", { id: live.id, name: "Published child" }),
      executeWorkflowNode("By expression", { expression: "={{ $json.workflow }}" }),
      executeWorkflowNode("Also by expression", { expression: "={{ $json.other }}" }),
    ];
    const caller = await seedWorkflow(source, { name: "Active caller", active: true, nodes });
    // The callees arrive first (callee before caller), inactive as every new workflow; one is published here.
    await applySql(target, await exportSql(source, child.id));
    await applySql(target, await exportSql(source, live.id));
    const publish = async (id: string) => {
      const version = (await targetWorkflow(target, id))!.versionId;
      await target.query(`UPDATE ${t("workflow_entity")} SET active = true, "activeVersionId" = $2 WHERE id = $1`, [id, version]);
    };
    await publish(live.id);
    // The caller arrives inactive (nothing to check yet); once active here, its next version is checked.
    const [arrival] = await applySql(target, await exportSql(source, caller.id));
    expect(unresolvedReferences(arrival!)).toEqual([]);
    await publish(caller.id);
    await editWorkflow(source, caller.id, { nodes });
    const [report] = await applySql(target, await exportSql(source, caller.id));
    expect(report!.outcome).toBe("updated");
    expect(unresolvedReferences(report!)).toEqual([`unpublished sub-workflow "Unpublished child" (${child.id}) called by node "Call v1": publish it here`]);
    // What status reads: the bookkeeping row keeps it as unresolved.
    const [meta] = await target.query<{ unresolved: string[] }>(`SELECT unresolved FROM ${t("migration_metadata")} WHERE migration_file = $1`, [report!.migration]);
    expect(meta!.unresolved).toEqual(unresolvedReferences(report!));
    const unchecked = report!.references!.filter((ref) => ref.status === "unchecked");
    expect(unchecked.map((ref) => ref.message)).toEqual([
      `sub-workflow chosen by an expression in node "By expression", "Also by expression": cannot be checked before it runs`,
    ]);

    // Published here, the callee is no longer reported.
    await publish(child.id);
    await editWorkflow(source, caller.id, { nodes });
    const [later] = await applySql(target, await exportSql(source, caller.id));
    expect(unresolvedReferences(later!)).toEqual([]);
  });
});
