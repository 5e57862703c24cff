// migrate-up through a real PgBouncer in transaction mode (what Supabase's port 6543 is): runners started
// together all succeed and apply each file once, a killed lock holder frees the lock at once, a connection
// killed mid-file says what landed, and --lock-wait, lock_timeout and the per-file settings behave as they
// do directly (transaction-local: nothing leaks into the pool's server connections).
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { TestDatabase } from "../../support/db.ts";
import { PGBOUNCER_MISSING, startPgBouncer, type PgBouncer } from "../../support/pgbouncer.ts";
import { seedWorkflow } from "../../../src/samples/seed.ts";
import { exportSql } from "../workflows/helpers.ts";
import { historyRows, holdMigrationLock, migrationsFolder, perTestDatabases, runScript, startScript, type Folder } from "./helpers.ts";

const database = perTestDatabases();

describe.skipIf(PGBOUNCER_MISSING)(`migrate-up through PgBouncer, pool_mode=transaction${PGBOUNCER_MISSING ? ` (${PGBOUNCER_MISSING})` : ""}`, () => {
  let bouncer: PgBouncer;
  beforeAll(async () => {
    bouncer = await startPgBouncer(inject("pgAdminUrl"), "transaction");
  });
  afterAll(async () => {
    await bouncer?.stop();
  });

  const env = (db: TestDatabase, folder: Folder) => ({ DATABASE_URL: bouncer.urlFor(db.url), MIGRATIONS_DIR: folder.migrationsDir, N8N_DB_SCHEMA: db.schema });
  const migrateUp = (db: TestDatabase, folder: Folder, args: string[] = []) => runScript("migrate-up", args, env(db, folder), folder.dir);

  it("5 runners started together all exit 0 and apply every file exactly once", async () => {
    const db = await database();
    const files: Record<string, string> = {};
    for (let i = 1; i <= 12; i++) files[`202501010000${String(i).padStart(2, "0")}_c_${i}.sql`] = `create table c_${i} (x int); select pg_sleep(0.02);`;
    const folder = migrationsFolder(files);
    const runs = await Promise.all(Array.from({ length: 5 }, () => migrateUp(db, folder)));
    for (const run of runs) expect(run.code, `${run.stderr}\n${bouncer.log().slice(-1500)}`).toBe(0);
    expect((await historyRows(db)).map((row) => row.version)).toEqual(Object.keys(files).map((file) => file.slice(0, 14)));
    const tables = await db.query<{ n: number }>("select count(*)::int as n from pg_tables where schemaname = 'public' and tablename like 'c\\_%'");
    expect(tables).toEqual([{ n: 12 }]);
  });

  it("a runner waiting for the lock goes on as soon as the holder is killed (kill -9 mid-file); the dead one's file never lands", async () => {
    const db = await database();
    // The file waits on a row the test holds, so the test decides when files get past it.
    await db.query("create table gate (x int); insert into gate values (1)");
    const gate = new pg.Client({ connectionString: db.url });
    await gate.connect();
    await gate.query("begin; select * from gate for update");
    const folder = migrationsFolder({
      "20250101000000_slow.sql": "create table slow (x int); insert into slow values (1); select * from gate for update;",
      "20250102000000_next.sql": "create table next (x int);",
    });
    try {
      const holder = startScript("migrate-up", [], env(db, folder), folder.dir);
      const holderPid = await waitForLockHolder(db, undefined);
      const waiter = startScript("migrate-up", ["--lock-wait", "60"], env(db, folder), folder.dir);
      await waitFor(async () => waiter.stderr().includes("waiting for another migrate-up"));
      holder.child.kill("SIGKILL");
      const killedAt = Date.now();
      await waitForLockHolder(db, holderPid);
      const handOverMs = Date.now() - killedAt;
      expect((await holder.done).signal).toBe("SIGKILL");
      // The killed runner's backend is still inside slow.sql (waiting on the gate, it has not noticed its
      // client is gone): once the gate opens, its lock check rolls it back and the waiter's copy lands.
      await gate.query("commit");
      const run = await waiter.done;
      expect(run.code, run.stderr).toBe(0);
      expect(handOverMs).toBeLessThan(5_000);
    } finally {
      await gate.end();
    }
    expect((await historyRows(db)).map((row) => row.version)).toEqual(["20250101000000", "20250102000000"]);
    expect(await db.query("select count(*)::int as n from slow")).toEqual([{ n: 1 }]);
  });

  it("a connection killed mid-file: exit 1 naming the file and that nothing of it landed; the rerun applies it once", async () => {
    const db = await database();
    const folder = migrationsFolder({
      "20250101000000_first.sql": "create table first (x int);",
      "20250102000000_cut.sql": "create table cut (x int);\ninsert into cut values (1);\nselect pg_sleep(30);",
    });
    const running = startScript("migrate-up", [], env(db, folder), folder.dir);
    const sleeping = "select pid, application_name from pg_stat_activity where query like '%pg_sleep(30)%' and state = 'active' and datname = current_database() and pid <> pg_backend_pid()";
    await waitFor(async () => (await db.query(sleeping)).length > 0);
    expect(await db.query(`select pg_terminate_backend(pid) as terminated from (${sleeping}) s`)).toEqual([{ terminated: true }]);
    const run = await running.done;
    expect(run.code).toBe(1);
    const lines = run.stderr.trim().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(
        /^error: the database connection was lost while applying 20250102000000_cut\.sql \(.+\): nothing of it was applied \(its transaction rolled back\); the 1 file\(s\) before it in this run stay applied; rerun migrate-up$/,
      ),
    ]);
    expect((await historyRows(db)).map((row) => row.version)).toEqual(["20250101000000"]);
    expect(await db.query("select to_regclass('cut') as cut")).toEqual([{ cut: null }]);
    folder.write("20250102000000_cut.sql", "create table cut (x int);\ninsert into cut values (1);");
    expect((await migrateUp(db, folder)).code).toBe(0);
    expect(await db.query("select count(*)::int as n from cut")).toEqual([{ n: 1 }]);
  });

  it("--lock-wait: waits for a lock held elsewhere, exits 6 past it", async () => {
    const db = await database();
    const folder = migrationsFolder({ "20250101000000_a.sql": "create table a (x int);" });
    const holder = await holdMigrationLock(db);
    try {
      const started = Date.now();
      const run = await migrateUp(db, folder, ["--lock-wait", "1"]);
      expect(run.code).toBe(6);
      expect(run.stderr).toMatch(/waiting for another migrate-up \(pid \d+\) to finish[\s\S]*held the migration lock for more than 1 s/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    } finally {
      await holder.release();
    }
    expect((await migrateUp(db, folder)).code).toBe(0);
  });

  it("lock_timeout applies to the file and to nothing else: no setting stays on the pool's server connections", async () => {
    const db = await database();
    await db.query("create table busy (x int)");
    const folder = migrationsFolder({ "20250101000000_alter.sql": "alter table busy add column y int;" });
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    try {
      await blocker.query("begin; lock table busy in access exclusive mode");
      const run = await migrateUp(db, folder, ["--lock-timeout", "200ms"]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/55P03[\s\S]*stayed taken past lock_timeout/);
    } finally {
      await blocker.end();
    }
    expect(await poolSettings(bouncer.urlFor(db.url))).toEqual(Array(POOL_SIZE).fill(POOL_DEFAULTS));
  });

  it("a file's own session-level SETs stay inside it: nothing of them is left on the pool", async () => {
    const db = await database();
    const folder = migrationsFolder({
      "20250101000000_first.sql": "create table first (x int);",
      // as pg_dump and `supabase db diff` write them; the run's last file, so no next file's reset follows
      "20250102000000_dump.sql": "set statement_timeout = '3min';\nset lock_timeout = '7s';\nselect pg_catalog.set_config('search_path', '', false);\ncreate table public.dumped (x int);",
    });
    const run = await migrateUp(db, folder);
    expect(run.code, run.stderr).toBe(0);
    expect(await poolSettings(bouncer.urlFor(db.url))).toEqual(Array(POOL_SIZE).fill(POOL_DEFAULTS));
  });

  it("a file outside a transaction (CREATE INDEX CONCURRENTLY) applies with a warning, and leaves no setting on the pool", async () => {
    const db = await database();
    const folder = migrationsFolder({
      "20250101000000_table.sql": "create table big (x int);",
      "20250102000000_index.sql": "create index concurrently big_x on big (x);\ncreate index concurrently big_x2 on big (x);",
      "20250103000000_after.sql": "create table after_index (x int);",
    });
    const run = await migrateUp(db, folder);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warning: 20250102000000_index\.sql runs outside a transaction, and DATABASE_URL goes through a pooler or proxy .*use the direct connection$/m);
    expect(await db.query("select count(*)::int as n from pg_index where indrelid = 'big'::regclass and indisvalid")).toEqual([{ n: 2 }]);
    expect(await poolSettings(bouncer.urlFor(db.url))).toEqual(Array(POOL_SIZE).fill(POOL_DEFAULTS));
  });

  it("the pooler dying mid-file: exit 1, the file did not land (its transaction checks the lock last), the rerun applies it", async () => {
    const db = await database();
    const own = await startPgBouncer(inject("pgAdminUrl"), "transaction");
    const folder = migrationsFolder({ "20250101000000_cut.sql": "create table cut (x int); select pg_sleep(1.5);" });
    try {
      const running = startScript("migrate-up", [], { ...env(db, folder), DATABASE_URL: own.urlFor(db.url) }, folder.dir);
      const sleeping = "select 1 from pg_stat_activity where query like '%pg_sleep(1.5)%' and state = 'active' and datname = current_database() and pid <> pg_backend_pid()";
      await waitFor(async () => (await db.query(sleeping)).length > 0);
      await own.stop();
      const run = await running.done;
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split("\n")).toEqual([
        expect.stringMatching(/^error: the database connection was lost while applying 20250101000000_cut\.sql \(.+\) and the database does not answer: .*rerun migrate-up once the database is back/),
      ]);
      // the server finished the file's query after its client was gone: the lock check rolled it back
      await waitFor(async () => (await db.query(sleeping)).length === 0);
    } finally {
      await own.stop();
    }
    expect(await historyRows(db)).toEqual([]);
    expect(await db.query("select to_regclass('cut') as cut")).toEqual([{ cut: null }]);
    expect((await migrateUp(db, folder)).code).toBe(0);
  });

  it("applies workflow migrations, whose settings are transaction-local", async () => {
    const source = await database("n8n2");
    const target = await database("n8n2");
    const wf = await seedWorkflow(source, { name: "Through the pooler" });
    const folder = migrationsFolder({
      "20250301000000_through_the_pooler.sql": await exportSql(source, wf.id, { migration: "20250301000000_through_the_pooler.sql" }),
      "20250301000001_after.sql": "create table after_workflow (x int);",
    });
    const run = await migrateUp(target, folder);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`inserted`);
    expect(await target.query(`select name from "${target.schema}".workflow_entity where id = $1`, [wf.id])).toEqual([{ name: "Through the pooler" }]);
    expect(await poolSettings(bouncer.urlFor(target.url))).toEqual(Array(POOL_SIZE).fill(POOL_DEFAULTS));
  });
});

/** What every server connection shows when nothing stayed behind. */
const POOL_DEFAULTS = { lock_timeout: "0", statement_timeout: "0", search_path: '"$user", public', schema: null, synchronous_commit: "on" };

/** PgBouncer's default_pool_size in the harness: a test's database has at most this many server connections. */
const POOL_SIZE = 20;

/**
 * The settings as every server connection of the database's pool sees them: each client holds a
 * transaction open at once, so each is on a server connection of its own.
 */
async function poolSettings(url: string): Promise<Array<Record<string, string | null>>> {
  const clients = Array.from({ length: POOL_SIZE }, () => new pg.Client({ connectionString: url }));
  await Promise.all(clients.map((c) => c.connect()));
  try {
    await Promise.all(clients.map((c) => c.query("begin")));
    return await Promise.all(
      clients.map(async (c) => {
        const { rows } = await c.query(
          `select current_setting('lock_timeout') as lock_timeout, current_setting('statement_timeout') as statement_timeout,
             current_setting('search_path') as search_path, current_setting('n8n_sync.schema', true) as schema,
             current_setting('synchronous_commit') as synchronous_commit`,
        );
        return { ...rows[0], schema: rows[0].schema || null };
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/** The pid holding the migration lock, once it is held by another backend than `previous`. */
async function waitForLockHolder(db: TestDatabase, previous: number | undefined): Promise<number> {
  let pid: number | undefined;
  await waitFor(async () => {
    const rows = await db.query<{ pid: number }>(
      "select pid from pg_locks where locktype = 'advisory' and classid = 7223406 and objid = 1937337955 and granted and database = (select oid from pg_database where datname = current_database())",
    );
    pid = rows[0]?.pid;
    return pid !== undefined && pid !== previous;
  });
  return pid!;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
