// scripts/migrate-up.ts and scripts/repair.ts as real processes: exit codes, output, concurrency.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { MIGRATION_LOCK_KEY } from "../../../src/migrations/lock.ts";
import { WORKFLOW_MARKER } from "../../../src/workflows/header.ts";
import { historyRows, migrateUpScript, migrationsFolder, perTestDatabases, runScript } from "./helpers.ts";

const database = perTestDatabases();

describe("scripts/migrate-up.ts", () => {
  it("applies every file exactly once when 5 runners start at the same time; all exit 0", async () => {
    const db = await database();
    const files: Record<string, string> = { "20250101000000_log.sql": "create table applied_log (file text);" };
    for (let i = 1; i <= 6; i++) {
      files[`2025010200${i}000_f${i}.sql`] = `insert into applied_log values ('f${i}'); select pg_sleep(0.05);`;
    }
    // Runs while the other runners wait for the lock: their polling must not hold a snapshot it waits for.
    files["20250102000003_index.sql"] = "create index concurrently applied_log_file on applied_log (file);";
    const folder = migrationsFolder(files);
    const runs = await Promise.all(Array.from({ length: 5 }, () => migrateUpScript(db, folder)));
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
    const rows = await db.query<{ file: string; n: number }>("select file, count(*)::int as n from applied_log group by file order by file");
    expect(rows).toEqual(["f1", "f2", "f3", "f4", "f5", "f6"].map((file) => ({ file, n: 1 })));
    expect(await historyRows(db)).toHaveLength(8);
    expect(await db.query("select indisvalid from pg_index where indexrelid = 'applied_log_file'::regclass")).toEqual([{ indisvalid: true }]);
    const output = runs.map((r) => r.stdout).join("\n");
    expect(output.match(/applied 8 migrations/g)).toHaveLength(1);
    expect(output.match(/up to date: 8 migrations applied/g)).toHaveLength(4);
  });

  it("waits for the lock with a clear line and exits 6 when it stays taken", async () => {
    const db = await database();
    const folder = migrationsFolder({ "20250101000000_a.sql": "create table a (x int);" });
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query(`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
      const { rows } = await holder.query<{ pid: number }>("select pg_backend_pid() as pid");
      const run = await migrateUpScript(db, folder, ["--lock-wait", "1"]);
      expect(run.code).toBe(6);
      expect(run.stderr).toContain(`waiting for another migrate-up (pid ${rows[0]!.pid})`);
      expect(run.stderr).toMatch(/held the migration lock for more than 1 s/);
    } finally {
      await holder.end();
    }
    expect(await db.query("select to_regclass('a') as a")).toEqual([{ a: null }]);
  });

  it("prints the environment and masked database first, a line per file (plain SQL too), then one summary line", async () => {
    const db = await database();
    const folder = migrationsFolder({ "20250101000000_a.sql": "create table a (x int);", "2025_typo.sql": "select 1;", "20250102000000_b.SQL": "" });
    const run = await migrateUpScript(db, folder, ["--env", "staging"]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toBe(`migrate-up: env staging, database ${db.printedUrl}`);
    expect(lines[1]).toMatch(/^ {2}applied +20250101000000_a\.sql$/);
    expect(lines[2]).toMatch(/^applied 1 migration in \d+\.\ds$/);
    expect(lines).toHaveLength(3);
    expect(run.stderr).toContain("ignoring 2025_typo.sql: the version must be 14 digits");
    expect(run.stderr).toContain('ignoring 20250102000000_b.SQL: the extension must be lower-case ".sql"');
  });

  it("gives a one-line masked error for an unreachable DATABASE_URL", async () => {
    const folder = migrationsFolder({ "20250101000000_a.sql": "select 1;" });
    const run = await runScript(
      "migrate-up",
      [],
      { DATABASE_URL: "postgresql://someone:s3cr3t-pw@127.0.0.1:1/nowhere", MIGRATIONS_DIR: folder.migrationsDir },
      folder.dir,
    );
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^error: cannot connect to postgresql:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nowhere: /)]);
    expect(run.stdout + run.stderr).not.toContain("s3cr3t-pw");
  });

  it("exits 4 before a workflow migration when N8N_DB_SCHEMA names a schema without n8n's tables while they exist elsewhere, and prints --json", async () => {
    const db = await database("n8n2");
    const folder = migrationsFolder({
      "20250101000000_a.sql": "create table a (x int);",
      "20250102000000_wf.sql": `${WORKFLOW_MARKER}\n-- Workflow: W\n\nselect 1;`,
    });
    const run = await migrateUpScript(db, folder, ["--json"], { N8N_DB_SCHEMA: "elsewhere" });
    expect(run.code).toBe(4);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ env: "development", status: "n8n-not-ready", applied: [{ file: "20250101000000_a.sql" }] });
    expect(run.stderr).toContain("n8n tables not found in schema elsewhere but in public: set N8N_DB_SCHEMA to n8n's DB_POSTGRESDB_SCHEMA, then rerun");
    expect((await historyRows(db)).map((r) => r.version)).toEqual(["20250101000000"]);
  });

  it("exits 1 with a readable block naming file, statement, position and code", async () => {
    const db = await database();
    const folder = migrationsFolder({ "20250101000000_bad.sql": "create table a (x int);\ninsert into nope values (1);\n" });
    const run = await migrateUpScript(db, folder);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("migration 20250101000000_bad.sql failed at statement 2 of 2, line 2, column 13");
    expect(run.stderr).toContain('42P01: relation "nope" does not exist');
    expect(await db.query("select to_regclass('a') as a")).toEqual([{ a: null }]);
  });

  it("rejects a malformed credential map with one line", async () => {
    const db = await database();
    const folder = migrationsFolder({ "20250101000000_a.sql": "select 1;" });
    const run = await migrateUpScript(db, folder, [], { N8N_CREDENTIAL_MAP: "/nonexistent/map.json" });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([expect.stringContaining("cannot read credential map /nonexistent/map.json: ENOENT")]);
  });
});

describe("scripts/repair.ts", () => {
  it("marks versions applied (with the file's statements) and reverted", async () => {
    const db = await database();
    const folder = migrationsFolder({ "20250101000000_a.sql": "create table a (x int);\n", "20250102000000_b.sql": "create table b (x int);" });
    const env = { DATABASE_URL: db.url, MIGRATIONS_DIR: folder.migrationsDir };
    const applied = await runScript("repair", ["--status", "applied", "20250101000000"], env, folder.dir);
    expect(applied.code).toBe(0);
    expect(await historyRows(db)).toEqual([{ version: "20250101000000", name: "a", statements: ["create table a (x int)"] }]);

    const up = await migrateUpScript(db, folder);
    expect(up.code).toBe(0);
    expect(await db.query("select to_regclass('a') as a, to_regclass('b') as b")).toEqual([{ a: null, b: "b" }]);

    const reverted = await runScript("repair", ["--status", "reverted", "20250102000000"], env, folder.dir);
    expect(reverted.code).toBe(0);
    expect(reverted.stdout).toContain("marked 1 version(s) reverted: 20250102000000");
    expect((await historyRows(db)).map((r) => r.version)).toEqual(["20250101000000"]);

    const missing = await runScript("repair", ["--status", "applied", "20250109000000"], env, folder.dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no migration file with version 20250109000000");
  });
});
