// Issue 20: a workflow file applied to a database where n8n has no tables yet succeeds and waits (the
// real Supabase CLI, migrate-up), and the first migrate-up after n8n created its tables lands it exactly
// as a direct apply would have, once.
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { migrateUp } from "../../../src/migrate-up/migrate-up.ts";
import { fixtureSql } from "../../../src/samples/sample-databases.ts";
import { credentialNode, editWorkflow, sampleNodes, seedCredential, seedWorkflow } from "../../../src/samples/seed.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { createSupabaseProject, type SupabaseProject } from "../../support/supabase-cli.ts";
import { runScript, startScript } from "../migrations/helpers.ts";
import { applySql, exportSql } from "./helpers.ts";

const APP_BEFORE = ["20250101000000_app_items.sql", "create table app_items (id int primary key, note text);\ninsert into app_items values (1, 'a');\n"] as const;
const APP_AFTER = ["20250101000009_app_later.sql", "create table app_later (id int primary key);\ninsert into app_later values (1);\n"] as const;

/** The files: an app migration, workflow files (X v1, Y, X v2), another app migration. */
let files: Array<[string, string]>;
let source: TestDatabase;
let xId: string;
const databases: TestDatabase[] = [];
const projects: SupabaseProject[] = [];

beforeAll(async () => {
  source = await createTestDatabase("n8n2");
  const credential = await seedCredential(source, { name: "Header Auth", type: "httpHeaderAuth" });
  const x = await seedWorkflow(source, { name: "Waiting X", tags: ["w"], nodes: [...sampleNodes("x"), credentialNode("HTTP", { id: credential, name: "Header Auth" })] });
  const y = await seedWorkflow(source, { name: "Waiting Y" });
  xId = x.id;
  files = [
    ["20250101000001_x.sql", await exportSql(source, x.id, { migration: "20250101000001_x.sql" })],
    ["20250101000002_y.sql", await exportSql(source, y.id, { migration: "20250101000002_y.sql" })],
  ];
  await editWorkflow(source, x.id, { name: "Waiting X v2", nodes: [...sampleNodes("x v2"), credentialNode("HTTP", { id: credential, name: "Header Auth" })] });
  files.push(["20250101000003_x.sql", await exportSql(source, x.id, { migration: "20250101000003_x.sql" })]);
});
afterAll(async () => {
  await source.drop();
});
afterEach(async () => {
  for (const project of projects.splice(0)) project.remove();
  await Promise.all(databases.splice(0).map((db) => db.drop()));
});

async function database(fixture: "empty" | "n8n2" = "empty"): Promise<TestDatabase> {
  const db = await createTestDatabase(fixture);
  databases.push(db);
  return db;
}

function project(withFiles: ReadonlyArray<readonly [string, string]> = [APP_BEFORE, ...files, APP_AFTER]): SupabaseProject {
  const made = createSupabaseProject(Object.fromEntries(withFiles));
  projects.push(made);
  return made;
}

/** n8n starts on the database and is set up: the real n8n 2.41.1 fixture (owner included), plus the credential the target has. */
async function n8nArrives(db: TestDatabase): Promise<void> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    await client.query(fixtureSql("n8n2")!);
  } finally {
    await client.end();
  }
  await seedCredential(db, { id: "targetHeaderAuth", name: "Header Auth", type: "httpHeaderAuth" });
}

/** What the workflow files wrote to n8n's tables, without the columns that record when it ran. */
async function state(db: TestDatabase): Promise<unknown> {
  const q = (sql: string) => db.query(sql);
  return {
    workflows: await q(`SELECT id, name, active, nodes::text, connections::text, settings::text, meta::text, description, "versionId",
                               "isArchived", "activeVersionId", "updatedAt", "createdAt", "nodeGroups"::text, "parentFolderId" FROM workflow_entity ORDER BY id`),
    shared: await q(`SELECT "workflowId", "projectId", role FROM shared_workflow ORDER BY 1`),
    history: await q(`SELECT "versionId", "workflowId", authors, nodes::text, connections::text, name FROM workflow_history ORDER BY 1`),
    tags: await q(`SELECT wt."workflowId", t.id, t.name FROM workflows_tags wt JOIN tag_entity t ON t.id = wt."tagId" ORDER BY 1, 3`),
    metadata: await q(`SELECT migration_file, source, workflow_id, outcome, notes, incoming_version_id, previous_version_id,
                              result_version_id, source_updated_at, unresolved::text FROM migration_metadata ORDER BY 1`),
  };
}

/** The same files applied directly to a database n8n had already started on: what landing must equal. */
async function directlyApplied(): Promise<unknown> {
  const control = await database("empty");
  await n8nArrives(control);
  for (const [, sql] of files) await applySql(control, sql);
  return state(control);
}

async function waitingRows(db: TestDatabase): Promise<Array<{ migration_file: string; workflow_id: string }>> {
  const exists = await db.query(`SELECT to_regclass('supabase_migrations.n8n_sync_waiting') AS t`);
  if (!exists[0]!.t) return [];
  return db.query(`SELECT migration_file, workflow_id FROM supabase_migrations.n8n_sync_waiting ORDER BY 1`);
}

/** Tables outside the schemas the Supabase CLI's db diff leaves out (its InternalSchemas). */
async function diffedTables(db: TestDatabase): Promise<string[]> {
  const rows = await db.query<{ t: string }>(
    `SELECT n.nspname || '.' || c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'S') AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
        AND n.nspname NOT IN ('auth', 'extensions', 'pgbouncer', 'realtime', '_realtime', 'storage', '_analytics', 'supabase_functions', 'supabase_migrations')
      ORDER BY 1`,
  );
  return rows.map((r) => r.t);
}

const up = (db: TestDatabase, migrationsDir: string) => migrateUp({ databaseUrl: db.url, migrationsDir, settings: { schema: db.schema } });

describe("workflow files on a database without n8n's tables", () => {
  it("the Supabase CLI applies the folder (exit 0, both app migrations), the workflows wait outside what db diff sees, and the first migrate-up after n8n's tables lands them once", async () => {
    const db = await database();
    const folder = project();
    const cli = await folder.migrationUp(db.url);
    expect(cli.code, cli.stderr).toBe(0);
    expect(await db.query(`SELECT count(*)::int AS n FROM app_items`)).toEqual([{ n: 1 }]);
    expect(await db.query(`SELECT count(*)::int AS n FROM app_later`)).toEqual([{ n: 1 }]);
    const history = await db.query<{ version: string }>(`SELECT version FROM supabase_migrations.schema_migrations ORDER BY 1`);
    expect(history.map((r) => r.version)).toEqual(["20250101000000", "20250101000001", "20250101000002", "20250101000003", "20250101000009"]);
    expect((await waitingRows(db)).map((r) => r.migration_file)).toEqual(files.map(([file]) => file));
    // Nothing where `supabase db diff` would see it but the app's own tables.
    expect(await diffedTables(db)).toEqual(["public.app_items", "public.app_later"]);

    await n8nArrives(db);
    const landing = await up(db, folder.migrationsDir);
    expect(landing.status, landing.message).toBe("ok");
    expect(landing.applied).toEqual([]);
    expect(landing.landed.map((l) => l.migration)).toEqual(files.map(([file]) => file));
    expect(landing.landed.flatMap((l) => l.reports.map((r) => r.outcome))).toEqual(["inserted", "inserted", "updated"]);
    expect(landing.landed[0]!.reports[0]!.credentials.map((c) => c.status)).toEqual(["remapped"]);
    expect(landing.waiting).toEqual([]);
    expect(await waitingRows(db)).toEqual([]);
    const landed = await state(db);
    expect(landed).toEqual(await directlyApplied());
    const x = (landed as any).workflows.find((w: any) => w.id === xId);
    expect(x.name).toBe("Waiting X v2");
    expect(JSON.parse(x.nodes).find((n: any) => n.name === "HTTP").credentials.httpHeaderAuth.id).toBe("targetHeaderAuth");
    expect((landed as any).shared.filter((s: any) => s.workflowId === xId)).toHaveLength(1);

    // A second run writes nothing.
    const again = await up(db, folder.migrationsDir);
    expect(again).toMatchObject({ status: "ok", applied: [], landed: [], waiting: [] });
    expect(await state(db)).toEqual(landed);
  });

  it("migrate-up on an empty database applies the app files, leaves the workflow files waiting (exit 0) and lands them after n8n's tables arrive", async () => {
    const db = await database();
    const folder = project();
    const first = await up(db, folder.migrationsDir);
    expect(first.status, first.message).toBe("ok");
    expect(first.applied.map((f) => f.file)).toEqual([APP_BEFORE[0], ...files.map(([file]) => file), APP_AFTER[0]]);
    expect(first.waiting.map((w) => [w.migration, w.name])).toEqual([
      ["20250101000001_x.sql", "Waiting X"],
      ["20250101000002_y.sql", "Waiting Y"],
      ["20250101000003_x.sql", "Waiting X v2"],
    ]);
    expect(first.waiting[0]!.reason).toBe("n8n has not created its tables in this database yet");
    expect(await db.query(`SELECT count(*)::int AS n FROM app_later`)).toEqual([{ n: 1 }]);

    // Still no n8n: a rerun applies nothing and lists the same waiting files.
    const rerun = await up(db, folder.migrationsDir);
    expect(rerun).toMatchObject({ status: "ok", applied: [], landed: [] });
    expect(rerun.waiting.map((w) => w.migration)).toEqual(files.map(([file]) => file));

    await n8nArrives(db);
    const landing = await up(db, folder.migrationsDir);
    expect(landing.status, landing.message).toBe("ok");
    expect(landing.landed.map((l) => l.migration)).toEqual(files.map(([file]) => file));
    expect(await state(db)).toEqual(await directlyApplied());
  });

  it("a later file of a waiting workflow, applied by the Supabase CLI after n8n's tables arrived, waits behind it and lands after it", async () => {
    const db = await database();
    const folder = project([APP_BEFORE, files[0]!]);
    expect((await folder.migrationUp(db.url)).code).toBe(0);
    await n8nArrives(db);
    folder.writeMigration(files[2]![0], files[2]![1]);
    const cli = await folder.migrationUp(db.url);
    expect(cli.code, cli.stderr).toBe(0);
    expect((await waitingRows(db)).map((r) => r.migration_file)).toEqual([files[0]![0], files[2]![0]]);

    const landing = await up(db, folder.migrationsDir);
    expect(landing.landed.flatMap((l) => l.reports.map((r) => `${r.migration} ${r.outcome}`))).toEqual([
      "20250101000001_x.sql inserted",
      "20250101000003_x.sql updated",
    ]);
    const [x] = await db.query(`SELECT name FROM workflow_entity WHERE id = $1`, [xId]);
    expect(x!.name).toBe("Waiting X v2");
  });

  it("a pending later file of a waiting workflow applies after the waiting one lands", async () => {
    const db = await database();
    const folder = project([APP_BEFORE, files[0]!]);
    expect((await up(db, folder.migrationsDir)).waiting).toHaveLength(1);
    await n8nArrives(db);
    folder.writeMigration(files[2]![0], files[2]![1]);
    const run = await up(db, folder.migrationsDir);
    expect(run.landed.map((l) => l.migration)).toEqual([files[0]![0]]);
    expect(run.applied.flatMap((f) => f.reports.map((r) => r.outcome))).toEqual(["updated"]);
    const [x] = await db.query(`SELECT name FROM workflow_entity WHERE id = $1`, [xId]);
    expect(x!.name).toBe("Waiting X v2");
  });

  it("a reset (drop, recreate, apply again) exits 0 under the Supabase CLI and migrate-up", async () => {
    const db = await database();
    const folder = project();
    expect((await folder.migrationUp(db.url)).code).toBe(0);
    await db.drop();
    const fresh = await database();
    const cli = await folder.migrationUp(fresh.url);
    expect(cli.code, cli.stderr).toBe(0);
    expect(await waitingRows(fresh)).toHaveLength(files.length);
    const other = await database();
    expect((await up(other, folder.migrationsDir)).status).toBe("ok");
  });

  it("a waiting workflow that fails to land fails the run loudly and stays waiting, nothing of it applied", async () => {
    const db = await database();
    const folder = project([APP_BEFORE, files[0]!]);
    expect((await folder.migrationUp(db.url)).code).toBe(0);
    await n8nArrives(db);
    const run = await migrateUp({ databaseUrl: db.url, migrationsDir: folder.migrationsDir, settings: { schema: db.schema, projectId: "no-such-project" } });
    expect(run.status).toBe("waiting-failed");
    expect(run.message).toMatch(/^waiting workflow Waiting X \(.+, 20250101000001_x\.sql\) failed to land: project no-such-project \(N8N_PROJECT_ID\) not found/);
    expect(await waitingRows(db)).toHaveLength(1);
    expect(await db.query(`SELECT id FROM workflow_entity WHERE id = $1`, [xId])).toEqual([]);
  });

  it("a new workflow waits while n8n has no owner account yet, and lands once it has one", async () => {
    const db = await database("n8n2");
    const folder = project([files[1]!]);
    await db.query(`UPDATE "user" SET "roleSlug" = 'global:member' WHERE "roleSlug" = 'global:owner'`);
    const first = await up(db, folder.migrationsDir);
    expect(first.status, first.message).toBe("ok");
    expect(first.waiting.map((w) => w.reason)).toEqual(["n8n has no owner account yet for this new workflow (finish its setup)"]);
    await db.query(`UPDATE "user" SET "roleSlug" = 'global:owner' WHERE "roleSlug" = 'global:member'`);
    const second = await up(db, folder.migrationsDir);
    expect(second.landed.flatMap((l) => l.reports.map((r) => r.outcome))).toEqual(["inserted"]);
    expect(second.waiting).toEqual([]);
  });

  it("N8N_DB_SCHEMA naming a schema without n8n's tables while they exist elsewhere stops the run (n8n-not-ready)", async () => {
    const db = await database("n8n2");
    const folder = project([APP_BEFORE, files[0]!]);
    const run = await migrateUp({ databaseUrl: db.url, migrationsDir: folder.migrationsDir, settings: { schema: "elsewhere" } });
    expect(run.status).toBe("n8n-not-ready");
    expect(run.message).toContain("n8n tables not found in schema elsewhere but in public");
  });

  it("concurrent migrate-ups and a killed one land each waiting workflow once", async () => {
    const db = await database();
    const folder = project();
    expect((await folder.migrationUp(db.url)).code).toBe(0);
    await n8nArrives(db);

    // A run killed while landing (n8n's workflow table locked by another session holds it mid-transaction).
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    await blocker.query("BEGIN; LOCK TABLE workflow_entity IN ACCESS EXCLUSIVE MODE");
    const killed = startScript("migrate-up", [], { DATABASE_URL: db.url, MIGRATIONS_DIR: folder.migrationsDir, N8N_DB_SCHEMA: db.schema }, folder.dir);
    for (let i = 0; i < 200; i++) {
      const waitingOnLock = await db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND application_name LIKE 'n8n-sync%'`);
      if (waitingOnLock.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    killed.child.kill("SIGKILL");
    await killed.done;
    await blocker.query("ROLLBACK");
    await blocker.end();
    expect(await waitingRows(db)).toHaveLength(files.length);

    const runs = await Promise.all([1, 2, 3].map(() => up(db, folder.migrationsDir)));
    for (const run of runs) expect(run.status, run.message).toBe("ok");
    expect(runs.flatMap((run) => run.landed.map((l) => l.migration)).sort()).toEqual(files.map(([file]) => file));
    expect(await waitingRows(db)).toEqual([]);
    const metadata = await db.query<{ migration_file: string; outcome: string }>(`SELECT migration_file, outcome FROM migration_metadata ORDER BY 1`);
    expect(metadata.map((m) => `${m.migration_file} ${m.outcome}`)).toEqual([
      "20250101000001_x.sql inserted",
      "20250101000002_y.sql inserted",
      "20250101000003_x.sql updated",
    ]);
  });
});

describe("what migrate-up, status and a dry run say about waiting workflows", () => {
  it("migrate-up exits 0 with one line per waiting workflow, --json lists them, status shows them, --dry-run predicts the wait", async () => {
    const db = await database();
    const folder = project();
    const env = { DATABASE_URL: db.url, MIGRATIONS_DIR: folder.migrationsDir, N8N_DB_SCHEMA: db.schema };

    const dry = await runScript("migrate-up", ["--dry-run"], env, folder.dir);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout.split("\n").filter((line) => line.includes("would wait: n8n has not created its tables"))).toHaveLength(files.length);

    const run = await runScript("migrate-up", [], env, folder.dir);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split("\n").filter((line) => line.trim().startsWith("waiting "));
    expect(lines).toEqual([
      `  waiting Waiting X (${xId}, 20250101000001_x.sql): lands on the first migrate-up after n8n has created its tables (n8n has not created its tables in this database yet)`,
      expect.stringContaining("waiting Waiting Y ("),
      expect.stringContaining(`waiting Waiting X v2 (${xId}, 20250101000003_x.sql)`),
    ]);
    expect(run.stdout).toMatch(/applied 5 migrations .*; 3 workflows waiting for n8n's tables/);

    const json = await runScript("migrate-up", ["--json"], env, folder.dir);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).waiting.map((w: { migration: string }) => w.migration)).toEqual(files.map(([file]) => file));

    const status = await runScript("status", [], env, folder.dir);
    expect(status.stdout.split("\n").filter((line) => line.trim().startsWith("waiting "))).toHaveLength(files.length);
    expect(status.stdout).toContain("5 applied, 0 pending, 0 drifted, 3 waiting for n8n's tables");
  });
});
