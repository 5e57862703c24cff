// Node types the target n8n lacks or forbids are reported before anything is applied: export records
// the source's n8n version and, per community node, its package and installed version (rows as n8n
// writes them on install); the file reports a package the target has not installed or has at a
// latestVersion below the node's typeVersion, a type the target's policy denies in the workflow's project
// (2.x), and a target older (major.minor) than the source; --fail-on-missing-references applies nothing;
// the dry run and status show the same; nodes arrive exactly as in the source.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseTarget, loadConfig } from "../../../src/config/config.ts";
import { migrateUp } from "../../../src/migrate-up/migrate-up.ts";
import { editWorkflow, sampleNodes, seedProject, seedWorkflow } from "../../../src/samples/seed.ts";
import { compareMigrations } from "../../../src/diff/compare.ts";
import { renderDiffTerminal } from "../../../src/diff/render-terminal.ts";
import { envFor, exportFrom, newFolder, runScript, steppingClock } from "../ux/helpers.ts";
import { readStatus } from "../../../src/status/status.ts";
import { exportWorkflows } from "../../../src/workflows/export.ts";
import { rollbackWorkflow } from "../../../src/rollback/rollback.ts";
import { migrationConstant } from "../../../src/workflows/read-migration.ts";
import { unresolvedReferences, type ReferenceReport } from "../../../src/workflows/report.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { installCommunityPackage, recordN8nVersion, setNodeTypePolicy } from "../../support/node-types.ts";
import { applySql, makeWorkflow, renderCase, targetWorkflow } from "./helpers.ts";

const WEATHER = { packageName: "n8n-nodes-weather", installedVersion: "1.4.0", nodes: [{ node: "weather", displayName: "Weather", latestVersion: 2 }] };
const SCOPED = { packageName: "@acme/n8n-nodes-crm", installedVersion: "0.9.1", nodes: [{ node: "crm", displayName: "Acme CRM", latestVersion: 1 }] };

function communityNodes(): unknown[] {
  return [
    ...sampleNodes(),
    { parameters: { city: "Oslo" }, id: randomUUID(), name: "Forecast", type: "n8n-nodes-weather.weather", typeVersion: 2, position: [440, 0] },
    { parameters: {}, id: randomUUID(), name: "Lead", type: "@acme/n8n-nodes-crm.crm", typeVersion: 1, position: [660, 0] },
  ];
}

describe.each(["n8n2", "n8n1"] as const)("node types on %s", (fixture) => {
  let source: TestDatabase;
  let dir: string;
  let migrationsDir: string;
  let sql: string;
  let workflowId: string;
  let nodes: unknown[];
  const targets: TestDatabase[] = [];
  const newTarget = async (as: "n8n2" | "n8n1" = fixture) => {
    const db = await createTestDatabase(as);
    targets.push(db);
    return db;
  };
  const nodeTypeReports = (reports: Array<{ references?: ReferenceReport[] }>) =>
    reports.flatMap((r) => r.references ?? []).filter((ref) => ref.kind === "nodeType" || ref.kind === "n8nVersion");

  beforeAll(async () => {
    source = await createTestDatabase(fixture);
    await installCommunityPackage(source, WEATHER);
    await installCommunityPackage(source, SCOPED);
    nodes = communityNodes();
    const wf = await seedWorkflow(source, { name: "Weather report", nodes });
    workflowId = wf.id;
    dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-node-types-"));
    const config = loadConfig({ env: "test", cwd: dir, processEnv: { DATABASE_URL: source.url, N8N_DB_SCHEMA: source.schema } });
    const { written } = await exportWorkflows({ ...databaseTarget(config), names: ["Weather report"], clock: () => new Date("2025-06-01T00:00:00Z") });
    sql = readFileSync(written[0]!.path, "utf8");
    migrationsDir = path.dirname(written[0]!.path);
  });
  afterAll(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await Promise.all([source.drop(), ...targets.map((t) => t.drop())]);
  });

  it("export records the source's n8n version (2.x only) and each community node's package and installed version", () => {
    expect(migrationConstant(sql, "n8n_version")).toBe(fixture === "n8n2" ? "2.41.1" : null);
    expect(migrationConstant(sql, "community_nodes")).toEqual([
      { nodeIndex: 2, node: "Forecast", type: "n8n-nodes-weather.weather", typeVersion: 2, package: "n8n-nodes-weather", version: "1.4.0" },
      { nodeIndex: 3, node: "Lead", type: "@acme/n8n-nodes-crm.crm", typeVersion: 1, package: "@acme/n8n-nodes-crm", version: "0.9.1" },
    ]);
  });

  it("reports a community package the target lacks or has too old, and is quiet when it has it; nodes stay exactly as in the source", async () => {
    const lacking = await newTarget();
    const missing = nodeTypeReports(await applySql(lacking, sql));
    expect(missing).toEqual([
      expect.objectContaining({ kind: "nodeType", status: "missing", node: "Forecast", name: "n8n-nodes-weather.weather" }),
      expect.objectContaining({ kind: "nodeType", status: "missing", node: "Lead", name: "@acme/n8n-nodes-crm.crm" }),
    ]);
    expect(missing[0]!.message).toBe(
      'missing node type n8n-nodes-weather.weather of node "Forecast": install the community package n8n-nodes-weather 1.4.0 here (Settings > Community nodes)',
    );
    // Recorded as unresolved: what status shows and --fail-on-missing-references counts.
    const [meta] = await lacking.query<{ unresolved: string[] }>(`SELECT unresolved FROM "${lacking.schema}".migration_metadata`);
    expect(meta!.unresolved).toEqual([missing[0]!.message, missing[1]!.message]);
    // No silent downgrade: type and typeVersion exactly as in the source.
    expect((await targetWorkflow(lacking, workflowId))!.nodes).toEqual(nodes);

    const old = await newTarget();
    await installCommunityPackage(old, { ...WEATHER, installedVersion: "1.0.0", nodes: [{ ...WEATHER.nodes[0]!, latestVersion: 1 }] });
    await installCommunityPackage(old, SCOPED);
    const outdated = nodeTypeReports(await applySql(old, sql));
    expect(outdated.map((r) => [r.status, r.node])).toEqual([
      ["outdated", "Forecast"],
      ["found", "Lead"],
    ]);
    expect(outdated[0]!.message).toBe(
      'node "Forecast" uses n8n-nodes-weather.weather version 2, which package n8n-nodes-weather 1.0.0 here does not have (up to version 1): update n8n-nodes-weather to 1.4.0',
    );
    expect(unresolvedReferences({ references: outdated })).toEqual([outdated[0]!.message]);

    const ready = await newTarget();
    await installCommunityPackage(ready, { ...WEATHER, installedVersion: "1.5.0", nodes: [{ ...WEATHER.nodes[0]!, latestVersion: 3 }] });
    await installCommunityPackage(ready, SCOPED);
    const found = nodeTypeReports(await applySql(ready, sql));
    expect(found.map((r) => r.status)).toEqual(["found", "found"]);
    expect(found.every((r) => !r.message)).toBe(true);
    const [clean] = await ready.query<{ unresolved: unknown }>(`SELECT unresolved FROM "${ready.schema}".migration_metadata`);
    expect(clean!.unresolved).toBeNull();
  });

  it("--fail-on-missing-references applies nothing; the dry run names the package; status lists it once applied without the flag", async () => {
    const target = await newTarget();
    const run = (options: { dryRun?: boolean; failOnMissingReferences?: boolean } = {}) =>
      migrateUp({ databaseUrl: target.url, migrationsDir: migrationsDir, settings: { schema: target.schema }, ...options });
    const dry = await run({ dryRun: true });
    expect(dry.pending[0]!.references).toContainEqual(expect.objectContaining({ kind: "nodeType", status: "missing", name: "n8n-nodes-weather.weather" }));
    expect(readdirSync(migrationsDir)).toHaveLength(1);

    const refused = await run({ failOnMissingReferences: true });
    expect(refused.status).toBe("missing-references");
    expect(refused.message).toMatch(/^2 references would stay unresolved/);
    expect(await targetWorkflow(target, workflowId)).toBeUndefined();

    await installCommunityPackage(target, WEATHER);
    const applied = await run();
    expect(applied.status).toBe("ok");
    const status = await readStatus({ databaseUrl: target.url, schema: target.schema, migrationsDir: migrationsDir });
    expect(status.unresolved).toEqual([
      expect.objectContaining({
        workflowId,
        references: ['missing node type @acme/n8n-nodes-crm.crm of node "Lead": install the community package @acme/n8n-nodes-crm 0.9.1 here (Settings > Community nodes)'],
      }),
    ]);
  });

  it.runIf(fixture === "n8n2")("reports a target on an older n8n (major.minor) once, and says nothing for a newer patch or the same version", async () => {
    const older = await newTarget();
    await recordN8nVersion(older, "2.38.0");
    const skew = (await applySql(older, sql)).flatMap((r) => r.references ?? []).filter((r) => r.kind === "n8nVersion");
    expect(skew).toEqual([
      { kind: "n8nVersion", name: "2.41.1", status: "older", message: "made on n8n 2.41.1, this n8n is 2.38.0: nodes introduced since may be unknown here" },
    ]);
    // Reported, not unresolved: it does not stop --fail-on-missing-references.
    expect(unresolvedReferences({ references: skew })).toEqual([]);

    const patchOlder = await newTarget();
    await recordN8nVersion(patchOlder, "2.41.0");
    const same = await newTarget();
    for (const db of [patchOlder, same]) {
      expect((await applySql(db, sql)).flatMap((r) => r.references ?? []).filter((r) => r.kind === "n8nVersion")).toEqual([]);
    }
  });

  it("says nothing about versions when either is unknown (an n8n 1.x source or target)", async () => {
    // A 1.x file on an older 2.x; a 2.x file on a 1.x.
    const other = await newTarget(fixture === "n8n1" ? "n8n2" : "n8n1");
    if (fixture === "n8n1") await recordN8nVersion(other, "2.38.0");
    expect((await applySql(other, sql)).flatMap((r) => r.references ?? []).filter((r) => r.kind === "n8nVersion")).toEqual([]);
  });

  it.runIf(fixture === "n8n2")("reports node types the target's policy denies for the workflow's project, as n8n evaluates it", async () => {
    const deniedReports = async (setup: (db: TestDatabase, project: string) => Promise<void>) => {
      const db = await newTarget();
      await installCommunityPackage(db, WEATHER);
      await installCommunityPackage(db, SCOPED);
      const project = await seedProject(db, "Ops");
      await setup(db, project);
      const reports = await applySql(db, sql, { projectId: project });
      return nodeTypeReports(reports).filter((r) => r.status === "denied");
    };

    // The instance denies a type by name: blocked whatever the project says.
    const byName = await deniedReports((db) => setNodeTypePolicy(db, { projectId: null, defaultAction: "allow", rules: [{ action: "deny", selector: { kind: "name", value: "n8n-nodes-base.set" } }] }));
    expect(byName).toEqual([
      {
        kind: "nodeType",
        node: '"Edit Fields"',
        name: "n8n-nodes-base.set",
        status: "denied",
        message: 'node type n8n-nodes-base.set (node "Edit Fields") is blocked here by an instance policy: n8n refuses to publish or run it; ask an admin to allow it',
      },
    ]);

    // The project denies a community package by its package name; its own allow rule comes first for the CRM.
    const byPackage = await deniedReports((db, project) =>
      setNodeTypePolicy(db, {
        projectId: project,
        defaultAction: "deny",
        rules: [
          { action: "allow", selector: { kind: "package", value: "@acme/n8n-nodes-crm" } },
          { action: "allow", selector: { kind: "package", value: "n8n-nodes-base" } },
        ],
      }),
    );
    expect(byPackage.map((r) => [r.name, r.message?.includes("the project's policy")])).toEqual([["n8n-nodes-weather.weather", true]]);

    // The instance delegates: only what the project allows by a rule runs; a project default of allow is not enough.
    const delegated = await deniedReports(async (db, project) => {
      await setNodeTypePolicy(db, { projectId: null, defaultAction: "delegate", rules: [{ action: "allow", selector: { kind: "package", value: "n8n-nodes-base" } }] });
      await setNodeTypePolicy(db, { projectId: project, defaultAction: "allow", rules: [{ action: "allow", selector: { kind: "name", value: "n8n-nodes-weather.weather" } }] });
    });
    expect(delegated.map((r) => [r.name, r.message?.includes("an instance policy")])).toEqual([["@acme/n8n-nodes-crm.crm", true]]);

    // A node holding \u0000 (legal in n8n's json, not in PostgreSQL text) is checked too.
    const nul = await newTarget();
    await setNodeTypePolicy(nul, { projectId: null, defaultAction: "allow", rules: [{ action: "deny", selector: { kind: "name", value: "n8n-nodes-base.set" } }] });
    const nulNodes = [{ id: "n1", name: "Set \u0000 it", type: "n8n-nodes-base.set", typeVersion: 3.4, position: [0, 0], parameters: { value: "a\u0000b" } }];
    const nulReports = nodeTypeReports(await applySql(nul, renderCase(makeWorkflow({ nodes: nulNodes }), "20250101000000_nul.sql")));
    expect(nulReports).toEqual([expect.objectContaining({ status: "denied", name: "n8n-nodes-base.set", node: '"Set \uFFFD it"' })]);
    expect((await targetWorkflow(nul, makeWorkflow().id))!.nodes).toEqual(nulNodes);

    // A policy of another project, or none at all, denies nothing.
    const elsewhere = await deniedReports(async (db) => {
      const other = await seedProject(db, "Other");
      await setNodeTypePolicy(db, { projectId: other, defaultAction: "deny", rules: [] });
    });
    expect(elsewhere).toEqual([]);
  });

  it.runIf(fixture === "n8n2")("diff shows the community packages a version adds or moves to another version, against the earlier file or an environment", async () => {
    const weatherOnly = nodes.slice(0, 3);
    const wf = await seedWorkflow(source, { name: "Leads", nodes: weatherOnly });
    const folder = newFolder();
    const clock = steppingClock();
    await exportFrom(source, folder, ["Leads"], clock);
    await source.query(`UPDATE "${source.schema}".installed_packages SET "installedVersion" = '1.5.0' WHERE "packageName" = 'n8n-nodes-weather'`);
    await editWorkflow(source, wf.id, { nodes });
    await exportFrom(source, folder, ["Leads"], clock);
    // The other cases export with the source's 1.4.0.
    await source.query(`UPDATE "${source.schema}".installed_packages SET "installedVersion" = '1.4.0' WHERE "packageName" = 'n8n-nodes-weather'`);

    const { reports } = await compareMigrations({ migrationsDir: folder.migrationsDir, targets: ["Leads"], cwd: folder.dir });
    expect(reports[0]!.diff.packagesAdded).toEqual([
      { package: "n8n-nodes-weather", version: "1.5.0", previousVersion: "1.4.0", nodes: ["Forecast"] },
      { package: "@acme/n8n-nodes-crm", version: "0.9.1", nodes: ["Lead"] },
    ]);
    const lines = renderDiffTerminal(reports, { color: false });
    expect(lines).toContain("  Community packages (2)");
    expect(lines).toContain("    ~ n8n-nodes-weather 1.4.0 → 1.5.0 (node Forecast): install it where this applies");
    expect(lines).toContain("    + @acme/n8n-nodes-crm 0.9.1 (node Lead): install it where this applies");

    // --env: against what the environment runs now, with its installed packages.
    const env = await newTarget();
    await installCommunityPackage(env, { ...WEATHER, installedVersion: "1.5.0" });
    await seedWorkflow(env, { id: wf.id, name: "Leads", nodes: weatherOnly });
    const run = await runScript("diff", ["Leads", "--env", "test"], envFor(env, folder), folder.dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("+ @acme/n8n-nodes-crm 0.9.1 (node Lead): install it where this applies");
    expect(run.stdout).not.toContain("n8n-nodes-weather 1.");
  });

  it.runIf(fixture === "n8n2")("validate --env checks the pull request's files against that database; without one it says so", async () => {
    const folder = newFolder();
    await exportFrom(source, folder, ["Weather report"], steppingClock());
    const [file] = readdirSync(folder.migrationsDir);
    const shown = path.join("supabase", "migrations", file!);
    const env = await newTarget();
    await installCommunityPackage(env, SCOPED);
    await recordN8nVersion(env, "2.38.0");
    await setNodeTypePolicy(env, { projectId: null, defaultAction: "allow", rules: [{ action: "deny", selector: { kind: "package", value: "@acme/n8n-nodes-crm" } }] });
    const run = await runScript("validate", [shown, "--env", "test"], envFor(env, folder), folder.dir);
    expect(run.code).toBe(1);
    const line = (field: string) => readFileSync(path.join(folder.migrationsDir, file!), "utf8").split("\n").findIndex((l) => l.startsWith(`  in_${field} `)) + 1;
    expect(run.stdout).toContain(
      `${shown}:${line("community_nodes")}: in test: missing node type n8n-nodes-weather.weather of node "Forecast": install the community package n8n-nodes-weather 1.4.0 here (Settings > Community nodes)`,
    );
    expect(run.stdout).toContain(`${shown}:${line("nodes")}: in test: node type @acme/n8n-nodes-crm.crm (node "Lead") is blocked here by an instance policy`);
    expect(run.stderr).toContain(`${shown}:${line("n8n_version")}: in test: made on n8n 2.41.1, this n8n is 2.38.0: nodes introduced since may be unknown here`);
    expect(run.stderr).toMatch(/2 problems in 1 migration file/);
    expect(await env.query(`SELECT id FROM workflow_entity`)).toEqual([]); // rehearsed, rolled back

    const noDatabase = await runScript("validate", [shown, "--env", "test"], { MIGRATIONS_DIR: folder.migrationsDir }, folder.dir);
    expect(noDatabase.code, noDatabase.stdout + noDatabase.stderr).toBe(0);
    expect(noDatabase.stderr).toContain("no DATABASE_URL for env test: node types not checked against a database");
  });

  it("a rollback file records the community packages of the version it restores", async () => {
    const wf = await seedWorkflow(source, { name: "Rollback me", nodes });
    await editWorkflow(source, wf.id, { nodes: sampleNodes() });
    const folder = newFolder();
    const result = await rollbackWorkflow({ databaseUrl: source.url, schema: source.schema, migrationsDir: folder.migrationsDir, workflow: wf.id, to: "previous" });
    const file = readFileSync(result.path, "utf8");
    expect(migrationConstant(file, "community_nodes")).toEqual([
      expect.objectContaining({ node: "Forecast", package: "n8n-nodes-weather" }),
      expect.objectContaining({ node: "Lead", package: "@acme/n8n-nodes-crm" }),
    ]);
  });
});
