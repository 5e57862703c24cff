// migrate-up meeting what production has, on a direct connection: the guarantees the runner's design
// rests on, each shown deterministically (a "gate" row the test holds pauses a file mid-apply):
// the history row commits with its file, the lock is held for the whole run, repair waits for it, a
// save in n8n's editor during an apply is never silently lost, and runners killed (kill -9) at random
// moments, holding or waiting for the lock, leave history, effects and migration_metadata in agreement.
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { ExitCode } from "../../../src/errors/errors.ts";
import { migrateUp, type MigrateUpOptions } from "../../../src/migrate-up/migrate-up.ts";
import { repairHistory } from "../../../src/migrations/repair.ts";
import type { TestDatabase } from "../../support/db.ts";
import { editWorkflow, seedWorkflow } from "../../../src/samples/seed.ts";
import { exportSql } from "../workflows/helpers.ts";
import { historyRows, holdMigrationLock, migrationsFolder, perTestDatabases, runScript, startScript, type Folder } from "./helpers.ts";

const database = perTestDatabases();
const clients: pg.Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.end().catch(() => {})));
});

function run(db: TestDatabase, folder: Folder, options: Partial<MigrateUpOptions> = {}) {
  return migrateUp({ databaseUrl: db.url, migrationsDir: folder.migrationsDir, settings: { schema: db.schema }, ...options });
}

/** A transaction of the test's own holding `lockSql` until `open()`; files touching it wait there. */
async function hold(db: TestDatabase, lockSql: string): Promise<{ open(): Promise<void> }> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  clients.push(client);
  await client.query(`begin; ${lockSql}`);
  return { open: async () => void (await client.query("commit")) };
}

/** Until a backend of this database other than the test's waits on a lock (a file reached the gate). */
async function waitForLockWait(db: TestDatabase): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const rows = await db.query("select 1 from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database() and pid <> pg_backend_pid()");
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("no backend reached the gate");
}

const settled = async (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true, () => true), new Promise((resolve) => setTimeout(() => resolve(false), ms))]);

describe("migrate-up faults", () => {
  it("writes the history row inside the file's transaction: when the row cannot be written, nothing of the file stays", async () => {
    const db = await database();
    const folder = migrationsFolder({ "20250101000000_first.sql": "create table first (x int);" });
    expect((await run(db, folder)).status).toBe("ok");
    await db.query(`create function refuse() returns trigger language plpgsql as $$ begin raise exception 'history is read-only today'; end $$;
      create trigger refuse before insert on supabase_migrations.schema_migrations for each row execute function refuse();`);
    folder.write("20250102000000_second.sql", "create table second (x int);\ninsert into second values (1);");
    const result = await run(db, folder);
    expect(result.status).toBe("failed");
    expect(result.failure?.message).toBe("history is read-only today");
    expect(await db.query("select to_regclass('second') as second")).toEqual([{ second: null }]);
    expect((await historyRows(db)).map((row) => row.version)).toEqual(["20250101000000"]);
  });

  it("holds the migration lock for the whole run: a second runner times out while the first is inside a file", async () => {
    const db = await database();
    await db.query("create table gate (x int); insert into gate values (1)");
    const gate = await hold(db, "select * from gate for update");
    const folder = migrationsFolder({
      "20250101000000_gated.sql": "create table gated (x int); select * from gate for update;",
      "20250102000000_after.sql": "create table after_gate (x int);",
    });
    const first = run(db, folder);
    await waitForLockWait(db);
    // The lock is held between the first runner's statements, not just while one runs.
    const holders = await db.query("select count(*)::int as n from pg_locks where locktype = 'advisory' and classid = 7223406 and objid = 1937337955 and granted and database = (select oid from pg_database where datname = current_database())");
    expect(holders).toEqual([{ n: 1 }]);
    await expect(run(db, folder, { lockWaitMs: 600 })).rejects.toMatchObject({ exitCode: ExitCode.LOCK_TIMEOUT });
    await gate.open();
    expect((await first).status).toBe("ok");
    expect((await historyRows(db)).map((row) => row.version)).toEqual(["20250101000000", "20250102000000"]);
  });

  it("the lock's idle transaction outlives an idle_in_transaction_session_timeout set on the database", async () => {
    const db = await database();
    await db.query(`alter database "${db.name}" set idle_in_transaction_session_timeout = '300ms'`);
    const folder = migrationsFolder({
      "20250101000000_slow.sql": "create table slow (x int); select pg_sleep(1);",
      "20250102000000_next.sql": "create table next (x int);",
    });
    const result = await run(db, folder);
    expect(result.status).toBe("ok");
    expect((await historyRows(db)).map((row) => row.version)).toEqual(["20250101000000", "20250102000000"]);
  });

  it("repair waits for a running migrate-up instead of writing history under it", async () => {
    const db = await database();
    await db.query("create table gate (x int); insert into gate values (1)");
    const gate = await hold(db, "select * from gate for update");
    const folder = migrationsFolder({ "20250101000000_gated.sql": "create table gated (x int); select * from gate for update;" });
    const migrating = run(db, folder);
    await waitForLockWait(db);
    const repairing = repairHistory({ databaseUrl: db.url, migrationsDir: folder.migrationsDir, status: "applied", versions: ["20250101000000"] });
    expect(await settled(repairing, 700)).toBe(false);
    await gate.open();
    expect((await migrating).status).toBe("ok");
    expect(await repairing).toEqual({ status: "applied", changed: ["20250101000000"] });
    expect((await historyRows(db)).map((row) => row.version)).toEqual(["20250101000000"]);
  });

  it("a save in n8n's editor during an apply waits for it (FOR UPDATE): the save is kept, never silently overwritten", async () => {
    const source = await database("n8n2");
    const target = await database("n8n2");
    const wf = await seedWorkflow(source, { name: "Edited during apply" });
    const folder = migrationsFolder({ "20250301000000_v1.sql": await exportSql(source, wf.id, { migration: "20250301000000_v1.sql" }) });
    expect((await run(target, folder)).status).toBe("ok");
    await editWorkflow(source, wf.id, { name: "Edited during apply (v2)" });
    folder.write("20250302000000_v2.sql", await exportSql(source, wf.id, { migration: "20250302000000_v2.sql" }));

    // The file pauses right after reading (and locking) the workflow row: it reads migration_metadata next.
    const gate = await hold(target, "lock table migration_metadata in access exclusive mode");
    const applying = run(target, folder);
    await waitForLockWait(target);
    const editorVersion = randomUUID();
    const editorSave = target.query(`update workflow_entity set name = 'Saved in the editor', "versionId" = $2, "updatedAt" = now() where id = $1`, [
      wf.id,
      editorVersion,
    ]);
    const savedBeforeTheFileWrote = await settled(editorSave, 500);
    await gate.open();
    const result = await applying;
    await editorSave;
    expect(savedBeforeTheFileWrote).toBe(false);
    expect(result.applied.flatMap((f) => f.reports.map((r) => [r.workflowId, r.outcome]))).toEqual([[wf.id, "updated"]]);
    // One serial order: the file updated the workflow, then the editor's save landed on top of it.
    expect(await target.query(`select name, "versionId" from workflow_entity where id = $1`, [wf.id])).toEqual([
      { name: "Saved in the editor", versionId: editorVersion },
    ]);
  });

  it("a connection cut inside a file outside a transaction: says which statements stay applied; runs refuse until repair", async () => {
    const db = await database();
    await db.query("create table big (x int)");
    const folder = migrationsFolder({
      "20250101000000_index.sql": "create index concurrently big_x on big (x);\nselect pg_sleep(30);\ncreate table after_sleep (x int);",
    });
    const running = run(db, folder);
    const sleeping = "select pid from pg_stat_activity where query like 'select pg_sleep(30)%' and state = 'active' and datname = current_database()";
    for (let i = 0; i < 400 && (await db.query(sleeping)).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    await db.query(`select pg_terminate_backend(pid) from (${sleeping}) s`);
    await expect(running).rejects.toThrow(
      /^the database connection was lost while applying 20250101000000_index\.sql at statement 2 of 3 \(terminating connection due to administrator command \(57P01\)\): this file runs outside a transaction, so its first 1 statement\(s\) stay applied and statement 2 may have run in part; runs refuse until you finish it by hand and run n8n:repair --status applied 20250101000000/,
    );
    expect(await db.query("select to_regclass('big_x') is not null as index, to_regclass('after_sleep') as after")).toEqual([{ index: true, after: null }]);
    const refused = await run(db, folder);
    expect(refused.status).toBe("refused");
    expect(refused.message).toMatch(/migration stopped part-way: 20250101000000_index\.sql \(1 statement\(s\) applied outside a transaction, then: connection lost at statement 2/);
  });

  it("a connection cut while waiting for the lock: one line, nothing applied", async () => {
    const db = await database();
    const folder = migrationsFolder({ "20250101000000_a.sql": "create table a (x int);" });
    const holder = await holdMigrationLock(db);
    const waiting = run(db, folder, { lockWaitMs: 30_000 });
    const lockConnection = "select pid from pg_stat_activity where application_name = 'n8n-sync migrate-up lock' and datname = current_database()";
    for (let i = 0; i < 400 && (await db.query(lockConnection)).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    await db.query(`select pg_terminate_backend(pid) from (${lockConnection}) s`);
    await expect(waiting).rejects.toThrow(/^the database connection was lost while taking the migration lock \(.+\): nothing was applied; rerun$/);
    expect(await db.query("select to_regclass('a') as a")).toEqual([{ a: null }]);
    await holder.release();
  });

  it("runners killed (kill -9) at random moments, holding or waiting for the lock: a final run leaves every file applied once", async () => {
    const source = await database("n8n2");
    const target = await database("n8n2");
    await target.query("create table effects (version text not null)");
    const files: Record<string, string> = {};
    const workflows: string[] = [];
    for (let i = 0; i < 8; i++) workflows.push((await seedWorkflow(source, { name: `Killed run ${i}` })).id);
    for (let i = 0; i < 160; i++) {
      const version = `2025030100${String(Math.floor(i / 60)).padStart(2, "0")}${String(i % 60).padStart(2, "0")}`;
      const file = `${version}_f${i}.sql`;
      files[file] =
        i % 20 === 10
          ? await exportSql(source, workflows[(i - 10) / 20]!, { migration: file })
          : `insert into effects values ('${version}');\ncreate table t_${i} (x int);\nselect pg_sleep(0.002);`;
    }
    const folder = migrationsFolder(files);
    const env = { DATABASE_URL: target.url, MIGRATIONS_DIR: folder.migrationsDir, N8N_DB_SCHEMA: target.schema };
    const progress: number[] = [];
    for (let round = 0; round < 5; round++) {
      const applied = () => historyRows(target).then((rows) => rows.length, () => 0); // no history table yet: 0
      const before = await applied();
      const runners = [startScript("migrate-up", [], env, folder.dir), startScript("migrate-up", [], env, folder.dir)];
      // Once one of them is applying (the other waits for the lock), at a random moment within a few files.
      for (let i = 0; i < 800 && (await applied()) === before; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 150));
      for (const runner of runners) runner.child.kill("SIGKILL");
      await Promise.all(runners.map((r) => r.done));
      progress.push((await historyRows(target)).length);
    }
    const final = await runScript("migrate-up", [], env, folder.dir);
    expect(final.code, final.stderr).toBe(0);
    const versions = Object.keys(files).map((file) => file.slice(0, 14));
    expect((await historyRows(target)).map((row) => row.version)).toEqual(versions);
    const plain = versions.filter((_, i) => i % 20 !== 10);
    const effects = await target.query<{ version: string; n: number }>("select version, count(*)::int as n from effects group by version order by version");
    expect(effects).toEqual(plain.map((version) => ({ version, n: 1 })));
    const metadata = await target.query<{ migration_file: string; workflow_id: string }>("select migration_file, workflow_id from migration_metadata order by migration_file");
    expect(metadata).toEqual(Object.keys(files).filter((_, i) => i % 20 === 10).map((file, k) => ({ migration_file: file, workflow_id: workflows[k] })));
    expect(await target.query("select count(*)::int as n from workflow_entity where id = any($1)", [workflows])).toEqual([{ n: 8 }]);
    // the kills landed mid-run (some files applied, not all)
    expect(progress.filter((n) => n > 0 && n < versions.length).length, `applied after each round: ${progress.join(", ")}`).toBeGreaterThanOrEqual(3);
  });
});
