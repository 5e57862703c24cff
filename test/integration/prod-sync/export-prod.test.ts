// export-prod against a "prod" database restored from the n8n fixtures, with workflows changed at various
// ages: selection, prefix and source, runtime data left out, second run, concurrency, the review summary.
import { rm, writeFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { parseHeader } from "../../../src/workflows/header.ts";
import { credentialNode, editWorkflow, executeWorkflowNode, sampleConnections, sampleNodes, seedCredential, seedWorkflow } from "../../../src/samples/seed.ts";
import { DAY, database, dropDatabases, filesIn, migrationsDir, runExport } from "./helpers.ts";
import { exportProdExitCode } from "../../../src/cli/exit-codes.ts";

afterEach(dropDatabases);

describe("exportProd: selection", () => {
  it("exports only workflows changed in the last N days, as prod_sync_ files with source prod, without pinData or staticData", async () => {
    const prod = await database("n8n2");
    const now = Date.now();
    const credentialId = await seedCredential(prod, { name: "Orders API", type: "httpHeaderAuth" });
    const recent = await seedWorkflow(prod, {
      name: "Orders: sync",
      updatedAt: new Date(now - 1 * DAY),
      nodes: [...sampleNodes(), credentialNode("Fetch orders", { id: credentialId, name: "Orders API" })],
      pinData: { "Edit Fields": [{ json: { pinnedCustomer: "PINNED-CUSTOMER-ROW" } }] },
      staticData: { lastSeenId: "STATIC-DATA-CURSOR" },
    });
    const older = await seedWorkflow(prod, { name: "Billing", updatedAt: new Date(now - 6 * DAY) });
    await seedWorkflow(prod, { name: "Stale", updatedAt: new Date(now - 10 * DAY) });
    await seedWorkflow(prod, { name: "Archived", updatedAt: new Date(now - 1 * DAY), isArchived: true });
    const dir = await migrationsDir();

    const result = await runExport(prod, dir, { clock: () => new Date(now) });

    expect(result).toMatchObject({ matched: 2, written: 2, alreadyExported: 0, blocked: 0 });
    expect(exportProdExitCode(result)).toBe(0);
    const files = await filesIn(dir);
    expect(files.map((f) => f.file)).toEqual(result.files);
    for (const { file } of files) expect(file).toMatch(/^\d{14}_prod_sync_(orders_sync|billing)\.sql$/);
    const headers = files.map(({ sql }) => parseHeader(sql)!.header);
    expect(headers.map((h) => h.workflowId).sort()).toEqual([recent.id, older.id].sort());
    for (const h of headers) expect(h.source).toBe("prod");
    const orders = files.find((f) => f.file.endsWith("_prod_sync_orders_sync.sql"))!.sql;
    expect(orders).toContain("in_source           constant text        := 'prod';");
    expect(orders).not.toContain("PINNED-CUSTOMER-ROW");
    expect(orders).not.toContain("STATIC-DATA-CURSOR");
    expect(orders).toContain("in_carries_pin_data constant boolean     := false;");
    expect(result.summary).toContain("- Credentials (remapped by type + name on apply): `httpHeaderAuth` Orders API");
    expect(result.summary).toContain("workflows changed in the last 7 days");
  });

  it("--days widens the window; --include-archived adds archived ones; --name and --id pick workflows of any age", async () => {
    const prod = await database("n8n2");
    const now = Date.now();
    const stale = await seedWorkflow(prod, { name: "Stale", updatedAt: new Date(now - 10 * DAY) });
    const archived = await seedWorkflow(prod, { name: "Archived", updatedAt: new Date(now - 1 * DAY), isArchived: true });
    const old = await seedWorkflow(prod, { name: "Old one", updatedAt: new Date(now - 400 * DAY) });

    const wider = await runExport(prod, await migrationsDir(), { selection: { days: 30 } });
    expect(wider.workflows.map((w) => w.name)).toEqual(["Stale"]);

    const withArchived = await runExport(prod, await migrationsDir(), { selection: { includeArchived: true } });
    expect(withArchived.workflows.map((w) => w.workflowId)).toEqual([archived.id]);

    const named = await runExport(prod, await migrationsDir(), { selection: { names: ["Old one"], ids: [stale.id] } });
    expect(named.workflows.map((w) => w.workflowId).sort()).toEqual([old.id, stale.id].sort());
    expect(named.summary).toContain('named "Old one" or with id');

    await expect(runExport(prod, await migrationsDir(), { selection: { names: ["Old On"] } })).rejects.toThrow(
      /no workflow named "Old On" \(did you mean "Old one"\?\).*nothing written/,
    );
    await expect(runExport(prod, await migrationsDir(), { selection: { names: ["Archived"] } })).rejects.toThrow(/--include-archived/);
  });

  it("a second run writes nothing and says so; a new prod edit is exported again", async () => {
    const prod = await database("n8n2");
    const wf = await seedWorkflow(prod, { name: "Orders", updatedAt: new Date(Date.now() - DAY) });
    await seedWorkflow(prod, { name: "Billing", updatedAt: new Date(Date.now() - 2 * DAY) });
    const dir = await migrationsDir();

    const first = await runExport(prod, dir);
    expect(first.written).toBe(2);
    const second = await runExport(prod, dir);
    expect(second).toMatchObject({ matched: 2, written: 0, alreadyExported: 2, files: [] });
    expect(second.summary).toContain("| already exported (skipped) | 2 |");
    expect(second.summary).toMatch(/- Orders \(`\w+`\): this version is in `\d{14}_prod_sync_orders\.sql`/);
    expect(await filesIn(dir)).toHaveLength(2);

    await editWorkflow(prod, wf.id);
    const third = await runExport(prod, dir);
    expect(third).toMatchObject({ written: 1, alreadyExported: 1 });
    expect(await filesIn(dir)).toHaveLength(3);
  });

  it("a version that already has a dev migration (the other side) is skipped too", async () => {
    const prod = await database("n8n2");
    const wf = await seedWorkflow(prod, { name: "Shared", updatedAt: new Date(Date.now() - DAY) });
    const dir = await migrationsDir();
    await runExport(prod, dir);
    const [{ file, sql }] = (await filesIn(dir)) as [{ file: string; sql: string }];
    // The same version exported by a developer: a dev file with the same versionId.
    await rm(`${dir}/${file}`);
    await writeFile(`${dir}/20200101000000_shared.sql`, sql.replace("-- Source: prod", "-- Source: dev"));
    const again = await runExport(prod, dir);
    expect(again.workflows).toMatchObject([{ workflowId: wf.id, status: "already-exported", existingFile: "20200101000000_shared.sql" }]);
  });

  it("many workflows with concurrency: every one written once, versions never collide", async () => {
    const prod = await database("n8n2");
    const now = new Date();
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) ids.push((await seedWorkflow(prod, { name: `Same name`, updatedAt: new Date(now.getTime() - (i % 5) * 3600_000) })).id);
    const dir = await migrationsDir();
    const events: string[] = [];
    const result = await runExport(prod, dir, { concurrency: 6, clock: () => now, onEvent: (e) => events.push(e.type) });
    expect(result.written).toBe(16);
    const files = await filesIn(dir);
    const versions = files.map((f) => f.file.slice(0, 14));
    expect(new Set(versions).size).toBe(16);
    expect(files.map((f) => parseHeader(f.sql)!.header.workflowId).sort()).toEqual([...ids].sort());
    expect(events).toEqual(["selected", ...Array(16).fill("exported")]);
  });

  it("reads n8n 1.x and n8n in schema n8n", async () => {
    for (const fixture of ["n8n1", "n8n2schema"] as const) {
      const prod = await database(fixture);
      await seedWorkflow(prod, { name: `From ${fixture}`, updatedAt: new Date(Date.now() - DAY) });
      const dir = await migrationsDir();
      const result = await runExport(prod, dir);
      expect(result.written, fixture).toBe(1);
      const [file] = await filesIn(dir);
      expect(parseHeader(file!.sql)!.header.n8n).toBe(fixture === "n8n1" ? "1.x (schema public)" : "2.x (schema n8n)");
    }
  });
});

describe("exportProd: the review summary", () => {
  it("lists nodes added, removed and changed (with parameter paths), connections and settings since the newest earlier migration", async () => {
    const prod = await database("n8n2");
    const wf = await seedWorkflow(prod, { name: "Orders", updatedAt: new Date(Date.now() - DAY) });
    const dir = await migrationsDir();
    const first = await runExport(prod, dir);
    expect(first.summary).toContain("- Changes: first migration of this workflow");
    expect(first.summary).toContain("```mermaid");
    const [firstFile] = first.files;

    const nodes = structuredClone(wf.nodes) as Array<Record<string, any>>;
    nodes[1]!.parameters.assignments.assignments[0].value = "changed in prod";
    nodes[1]!.parameters.options = { ignoreConversionErrors: true };
    nodes.push({ parameters: { url: "https://example.com/hook" }, id: "c0ffee00-0000-4000-8000-000000000001", name: "Notify", type: "n8n-nodes-base.httpRequest", typeVersion: 4.2, position: [440, 0] });
    await editWorkflow(prod, wf.id, { nodes });
    await prod.query(`UPDATE workflow_entity SET connections = $2, settings = $3 WHERE id = $1`, [
      wf.id,
      JSON.stringify({ ...(sampleConnections() as object), "Edit Fields": { main: [[{ node: "Notify", type: "main", index: 0 }]] } }),
      JSON.stringify({ executionOrder: "v1", timezone: "Europe/Berlin" }),
    ]);

    const second = await runExport(prod, dir);
    const entry = second.workflows[0]!;
    expect(entry.comparedWith).toBe(firstFile);
    expect(entry.diff).toMatchObject({
      nodesAdded: [expect.objectContaining({ name: "Notify", type: "n8n-nodes-base.httpRequest" })],
      nodesRemoved: [],
      nodesChanged: [
        expect.objectContaining({
          name: "Edit Fields",
          changes: [
            { path: "parameters.assignments.assignments[0].value", before: "hello", after: "changed in prod" },
            { path: "parameters.options.ignoreConversionErrors", after: true },
          ],
        }),
      ],
      connectionsAdded: [{ from: "Edit Fields", to: "Notify", type: "main", output: 0, input: 0 }],
      connectionsRemoved: [],
      settingsChanged: [{ path: "timezone", after: "Europe/Berlin" }],
    });
    expect(second.summary).toContain(`- Changes since \`${firstFile}\`:`);
    expect(second.summary).toContain("  - **Nodes added (1)**\n    - 🟢 `Notify` (n8n-nodes-base.httpRequest)");
    expect(second.summary).toContain("      - 🟡 `parameters.assignments.assignments[0].value`: `\"hello\"` → `\"changed in prod\"`");
    expect(second.summary).toContain("      - 🟢 `parameters.options.ignoreConversionErrors` = `true`");
    expect(second.summary).toContain("  - **Settings changed (1)**\n    - 🟢 `timezone` = `\"Europe/Berlin\"`");
    expect(second.summary).toMatch(/```mermaid\n[\s\S]*\["Notify<br\/><small>httpRequest<\/small>"\]:::added[\s\S]*```/);
    expect(second.summary).toContain("- Dev side: not checked (no dev database given (--dev-env))");
  });
});

describe("exportProd --with-dependencies", () => {
  it("adds the workflows the selection calls, transitively, in earlier files than their callers", async () => {
    const prod = await database("n8n2");
    const now = Date.now();
    const old = new Date(now - 30 * DAY);
    const leaf = await seedWorkflow(prod, { name: "Leaf", updatedAt: old });
    const middle = await seedWorkflow(prod, { name: "Middle", updatedAt: old, nodes: [...sampleNodes(), executeWorkflowNode("Call leaf", { id: leaf.id, name: "Leaf" }, 1)] });
    await seedWorkflow(prod, {
      name: "Caller",
      updatedAt: new Date(now - DAY),
      nodes: [...sampleNodes(), executeWorkflowNode("Call middle", { id: middle.id, name: "Middle" }), executeWorkflowNode("Call missing", { id: "notInProd0000001", name: "Gone" })],
    });

    const alone = await migrationsDir();
    expect((await runExport(prod, alone, { clock: () => new Date(now) })).files).toEqual([expect.stringMatching(/_prod_sync_caller\.sql$/)]);

    const dir = await migrationsDir();
    const result = await runExport(prod, dir, { clock: () => new Date(now), withDependencies: true });
    expect(result).toMatchObject({ written: 3 });
    expect(exportProdExitCode(result)).toBe(0);
    expect((await filesIn(dir)).map((f) => f.file.replace(/^\d+_prod_sync_/, ""))).toEqual(["leaf.sql", "middle.sql", "caller.sql"]);
  });
});
