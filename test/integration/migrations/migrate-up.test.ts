import pg from "pg";
import { describe, expect, it } from "vitest";
import { REQUIRED_TABLES } from "../../../src/n8n/schema.ts";
import { migrateUpExitCode } from "../../../src/cli/exit-codes.ts";
import { migrateUp, type MigrateUpOptions } from "../../../src/migrate-up/migrate-up.ts";
import { failureBlock } from "../../../src/cli/migrate-up-lines.ts";
import { repairHistory } from "../../../src/migrations/repair.ts";
import { WORKFLOW_MARKER } from "../../../src/workflows/header.ts";
import type { TestDatabase } from "../../support/db.ts";
import { historyRows, migrationsFolder, perTestDatabases, type Folder } from "./helpers.ts";
import { makeWorkflow, renderCase } from "../workflows/helpers.ts";

const database = perTestDatabases();

function run(db: TestDatabase, folder: Folder, options: Partial<MigrateUpOptions> = {}) {
  return migrateUp({ databaseUrl: db.url, migrationsDir: folder.migrationsDir, settings: { schema: db.schema }, ...options });
}

const versions = async (db: TestDatabase) => (await historyRows(db)).map((row) => row.version);

describe("migrateUp", () => {
  it("applies pending files in order, each with its history row, and is up to date afterwards", async () => {
    const db = await database();
    const folder = migrationsFolder({
      "20250102000000_b.sql": "insert into t values (2);",
      "20250101000000_a.sql": "create table t (x int primary key);\ninsert into t values (1);\n",
    });
    const first = await run(db, folder);
    expect(first.status).toBe("ok");
    expect(first.applied.map((f) => f.file)).toEqual(["20250101000000_a.sql", "20250102000000_b.sql"]);
    expect(await historyRows(db)).toEqual([
      { version: "20250101000000", name: "a", statements: ["create table t (x int primary key)", "insert into t values (1)"] },
      { version: "20250102000000", name: "b", statements: ["insert into t values (2)"] },
    ]);
    const second = await run(db, folder);
    expect(second).toMatchObject({ status: "ok", applied: [], appliedTotal: 2 });
  });

  it("rolls back a failing middle file entirely, keeps earlier ones, leaves later ones untouched", async () => {
    const db = await database();
    const folder = migrationsFolder({
      "20250101000000_first.sql": "create table t (x int primary key);",
      "20250102000000_middle.sql": "insert into t values (1);\ncreate table partial (y int);\n\ninsert into t values\n  (1);\n",
      "20250103000000_last.sql": "create table later (z int);",
    });
    const result = await run(db, folder);
    expect(result.status).toBe("failed");
    expect(migrateUpExitCode(result)).toBe(1);
    expect(result.failure).toMatchObject({ file: "20250102000000_middle.sql", statement: 3, statementCount: 3, line: 4, column: 1, code: "23505" });
    expect(failureBlock(result.failure!)).toMatch(/20250102000000_middle\.sql failed at statement 3 of 3, line 4, column 1[\s\S]*23505[\s\S]*DETAIL: Key \(x\)=\(1\)/);
    expect(await versions(db)).toEqual(["20250101000000"]);
    expect(await db.query("select * from t")).toEqual([]);
    expect(await db.query("select to_regclass('partial') as p, to_regclass('later') as l")).toEqual([{ p: null, l: null }]);
  });

  it("places syntax errors at their line and column in the file", async () => {
    const db = await database();
    const folder = migrationsFolder({ "20250101000000_bad.sql": "select 1;\n-- note\nselect\n  1,, 2;\n" });
    const result = await run(db, folder);
    expect(result.failure).toMatchObject({ statement: 2, line: 4, column: 5, code: "42601" });
  });

  it("runs dollar-quoted bodies, comments, semicolons in strings and E'' strings as written", async () => {
    const db = await database();
    const folder = migrationsFolder({
      "20250101000000_tricky.sql": [
        "/* a; /* nested; */ comment */",
        "create table t (s text); -- trailing; comment",
        "insert into t values ('semi;colon'), (E'esc\\'aped;'), ($$dollar;'$$), ($tag$ $$ ; $tag$);",
        "create function f() returns int language plpgsql as $fn$",
        "begin",
        "  insert into t values ('from f;');",
        "  return 1;",
        "end $fn$;",
        "create function g() returns int language sql",
        "begin atomic",
        "  select case when true then 2 end;",
        "end;",
        "select f(), g();",
      ].join("\n"),
    });
    expect((await run(db, folder)).status).toBe("ok");
    expect((await db.query<{ s: string }>("select s from t order by s")).map((r) => r.s).sort()).toEqual(
      [" $$ ; ", "dollar;'", "esc'aped;", "from f;", "semi;colon"].sort(),
    );
  });

  it("runs a file holding CREATE INDEX CONCURRENTLY statement by statement, outside a transaction", async () => {
    const db = await database();
    const folder = migrationsFolder({
      "20250101000000_t.sql": "create table t (x int);",
      "20250102000000_idx.sql": "insert into t values (1);\ncreate index concurrently t_x on t (x);\n",
    });
    const events: string[] = [];
    const result = await run(db, folder, {
      onEvent: (e) => e.type === "applying" && e.autocommitReason && events.push(e.autocommitReason),
    });
    expect(result.status).toBe("ok");
    expect(events).toEqual([expect.stringContaining("CREATE INDEX CONCURRENTLY")]);
    expect(result.applied[1]!.mode).toMatchObject({ kind: "autocommit" });
    expect(await db.query("select indisvalid from pg_index where indexrelid = 't_x'::regclass")).toEqual([{ indisvalid: true }]);
    expect(await versions(db)).toEqual(["20250101000000", "20250102000000"]);
  });

  it("fails closed after an autocommit file stopped part-way, until repair marks it", async () => {
    const db = await database();
    const folder = migrationsFolder({
      "20250101000000_idx.sql": "create table t1 (x int);\ncreate index concurrently i1 on t1 (x);\ncreate index concurrently i2 on nope (x);\n",
      "20250102000000_next.sql": "create table t2 (x int);",
    });
    const failed = await run(db, folder);
    expect(failed.failure).toMatchObject({ statement: 3, appliedStatements: 2, code: "42P01" });
    expect(failureBlock(failed.failure!)).toContain("first 2 statement(s) stay applied");
    expect(await db.query("select to_regclass('t1') as t1, to_regclass('i1') as i1")).toEqual([{ t1: "t1", i1: "i1" }]);

    folder.write("20250101000000_idx.sql", "create table t1 (x int);\ncreate index concurrently i1 on t1 (x);\ncreate index concurrently i2 on t1 (x);\n");
    for (const dryRun of [false, true]) {
      const refused = await run(db, folder, { dryRun });
      expect(refused.status).toBe("refused");
      expect(refused.message).toMatch(/20250101000000_idx\.sql \(2 statement\(s\) applied outside a transaction, then: 42P01 .*--status applied 20250101000000/);
    }
    expect(await versions(db)).toEqual([]);

    await db.query("create index concurrently i2 on t1 (x)"); // finished by hand
    await repairHistory({ databaseUrl: db.url, migrationsDir: folder.migrationsDir, status: "applied", versions: ["20250101000000"] });
    expect(await db.query("select to_regclass('supabase_migrations.n8n_sync_incomplete') as t")).toEqual([{ t: null }]);
    const resumed = await run(db, folder);
    expect(resumed.status).toBe("ok");
    expect(resumed.applied.map((f) => f.file)).toEqual(["20250102000000_next.sql"]);
  });

  it("stops on drift unless --allow-drift, and ignores CRLF line-ending changes", async () => {
    const db = await database();
    const folder = migrationsFolder({ "20250101000000_a.sql": "create table t (x int);\ncreate table u (y int);\n" });
    await run(db, folder);
    folder.write("20250101000000_a.sql", "create table t (x int);\r\ncreate table u (y int);\r\n");
    folder.write("20250102000000_b.sql", "create table v (z int);");
    expect((await run(db, folder, { dryRun: true })).drifted).toEqual([]);

    folder.write("20250101000000_a.sql", "create table t (x bigint);\ncreate table u (y int);\n");
    const refused = await run(db, folder);
    expect(refused).toMatchObject({ status: "refused", drifted: ["20250101000000_a.sql"], applied: [] });
    expect(refused.message).toContain("20250101000000_a.sql");
    expect(await versions(db)).toEqual(["20250101000000"]);

    const allowed = await run(db, folder, { allowDrift: true });
    expect(allowed.status).toBe("ok");
    expect(allowed.warnings).toEqual([expect.stringContaining("20250101000000_a.sql")]);
    expect(await versions(db)).toEqual(["20250101000000", "20250102000000"]);
  });

  it("applies out-of-order files with a warning, refuses them with strictOrder, warns on versions without a file", async () => {
    const db = await database();
    const folder = migrationsFolder({ "20250103000000_c.sql": "create table c (x int);" });
    await run(db, folder);
    folder.write("20250102000000_b.sql", "create table b (x int);");
    await db.query("insert into supabase_migrations.schema_migrations(version, name, statements) values ('20250104000000', 'gone', '{}')");

    const strict = await run(db, folder, { strictOrder: true });
    expect(strict).toMatchObject({ status: "refused", outOfOrder: ["20250102000000_b.sql"] });
    expect(await db.query("select to_regclass('b') as b")).toEqual([{ b: null }]);

    const lenient = await run(db, folder);
    expect(lenient.status).toBe("ok");
    expect(lenient.applied.map((f) => f.file)).toEqual(["20250102000000_b.sql"]);
    expect(lenient.warnings).toEqual([
      expect.stringContaining("20250104000000"),
      expect.stringMatching(/out of order.*20250102000000_b\.sql/),
    ]);
  });

  it("rolls back the file being applied and stops when the lock's connection is lost", async () => {
    const db = await database();
    const folder = migrationsFolder({
      "20250101000000_slow.sql": "create table a (x int); select pg_sleep(1);",
      "20250102000000_next.sql": "create table b (x int);",
    });
    const running = run(db, folder);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await db.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'n8n-sync migrate-up lock' and datname = current_database()");
    // Committing it now could race a runner that took the free lock: the file's transaction checks the lock last.
    await expect(running).rejects.toThrow(
      /^the migration lock was lost while applying 20250101000000_slow\.sql \(its connection ended\): nothing of 20250101000000_slow\.sql was applied .*; rerun migrate-up$/,
    );
    expect(await versions(db)).toEqual([]);
    expect(await db.query("select to_regclass('a') as a, to_regclass('b') as b")).toEqual([{ a: null, b: null }]);
  });

  it("changes nothing in a dry run and lists what would happen", async () => {
    const db = await database();
    const folder = migrationsFolder({
      "20250101000000_a.sql": "create table a (x int);",
      "20250102000000_wf.sql": `${WORKFLOW_MARKER}\n-- Workflow: Hello\n\nselect 1;`,
    });
    const result = await run(db, folder, { dryRun: true });
    expect(result).toMatchObject({ status: "ok", dryRun: true, applied: [] });
    expect(result.pending.map((p) => [p.file, p.workflow])).toEqual([["20250101000000_a.sql", false], ["20250102000000_wf.sql", true]]);
    expect(await db.query("select to_regclass('a') as a, to_regnamespace('supabase_migrations') as s")).toEqual([{ a: null, s: null }]);
  });

  it("on a database where n8n never started: applies every file, the workflow file waits (exit 0), also after waiting for n8n in vain", async () => {
    const db = await database("empty");
    const folder = migrationsFolder({
      "20250101000000_plain.sql": "create table app (x int);",
      "20250102000000_workflow.sql": renderCase(makeWorkflow({ name: "Needs n8n" }), "20250102000000_workflow.sql"),
      "20250103000000_after.sql": "create table after_it (x int);",
    });
    const result = await run(db, folder);
    expect(result.status).toBe("ok");
    expect(migrateUpExitCode(result)).toBe(0);
    expect(result.waiting.map((w) => [w.migration, w.name])).toEqual([["20250102000000_workflow.sql", "Needs n8n"]]);
    expect(await versions(db)).toEqual(["20250101000000", "20250102000000", "20250103000000"]);

    folder.write("20250104000000_workflow.sql", renderCase(makeWorkflow({ id: "wfCase0000000002", name: "Also waits" }), "20250104000000_workflow.sql"));
    const waited = await run(db, folder, { waitForN8nMs: 1500 });
    expect(waited.status).toBe("ok");
    expect(waited.waiting.map((w) => w.name)).toEqual(["Needs n8n", "Also waits"]);
  });

  it("with waitForN8nMs, goes on once n8n has created its tables", async () => {
    const db = await database("empty");
    const folder = migrationsFolder({
      "20250101000000_workflow.sql": `${WORKFLOW_MARKER}\n-- Workflow: W\n\ninsert into workflow_entity (id) values ('w1');`,
    });
    const waiting: string[] = [];
    const running = run(db, folder, { waitForN8nMs: 20_000, onEvent: (e) => e.type === "waiting-for-n8n" && waiting.push(e.schema) });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // What n8n's first start does, reduced to the tables the readiness check looks for.
    await db.query(REQUIRED_TABLES.map((table) => `create table "${table}" (id text)`).join(";"));
    const result = await running;
    expect(result.status).toBe("ok");
    expect(waiting).toEqual(["public"]);
    expect(await db.query("select id from workflow_entity")).toEqual([{ id: "w1" }]);
  });

  it("retries a file that hit lock_timeout, from scratch, and succeeds once the lock is free", async () => {
    const db = await database();
    await db.query("create table busy (x int)");
    const folder = migrationsFolder({ "20250101000000_alter.sql": "insert into busy values (1);\nalter table busy add column y int;" });
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query("begin; lock table busy in access share mode");
      setTimeout(() => void holder.query("commit"), 1200);
      const result = await run(db, folder, { lockTimeout: "300ms" });
      expect(result.status).toBe("ok");
    } finally {
      await holder.end();
    }
    expect(await db.query("select x, y from busy")).toEqual([{ x: 1, y: null }]);
  });

  it("reports lock_timeout as a failure when the lock stays taken", async () => {
    const db = await database();
    await db.query("create table busy (x int)");
    const folder = migrationsFolder({ "20250101000000_alter.sql": "alter table busy add column y int;" });
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query("begin; lock table busy in access share mode");
      const result = await run(db, folder, { lockTimeout: "100ms" });
      expect(result.failure).toMatchObject({ code: "55P03", statement: 1 });
      expect(failureBlock(result.failure!)).toContain("raise --lock-timeout");
    } finally {
      await holder.end();
    }
  });

  it("sets the apply settings for each file, resets session state between files, collects workflow reports", async () => {
    const db = await database("n8n2");
    const report = (outcome: string) =>
      JSON.stringify({ migration: "m", workflowId: `w-${outcome}`, name: `W ${outcome}`, outcome, reason: "because", incomingVersionId: "v", previousVersionId: null, reloadNeeded: true, credentials: [] });
    const folder = migrationsFolder({
      "20250101000000_settings.sql": [
        "create table seen (schema text, publish text, map text, path text, timeouts text);",
        "insert into seen values (current_setting('n8n_sync.schema', true), current_setting('n8n_sync.publish', true),",
        "  current_setting('n8n_sync.credential_map', true), current_setting('search_path'),",
        "  current_setting('lock_timeout') || ' ' || current_setting('statement_timeout'));",
        "set search_path = pg_catalog;",
      ].join("\n"),
      "20250102000000_wf.sql": [
        WORKFLOW_MARKER,
        "-- Workflow: W",
        "",
        "insert into public.seen values ('second', null, null, current_setting('search_path'), null);",
        `do $$ begin raise notice 'n8n-sync: W inserted' using detail = '${report("inserted")}'; end $$;`,
        `do $$ begin raise notice 'n8n-sync: W conflict' using detail = '${report("skipped-conflict")}'; end $$;`,
      ].join("\n"),
    });
    const result = await run(db, folder, {
      settings: { schema: "public", publish: "keep", credentialMap: { a: "b" } },
      lockTimeout: "3s",
      statementTimeout: "1min",
    });
    expect(result.status).toBe("ok");
    expect(await db.query("select * from seen order by schema desc")).toEqual([
      { schema: "second", publish: null, map: null, path: '"$user", public', timeouts: null },
      { schema: "public", publish: "keep", map: '{"a":"b"}', path: '"$user", public', timeouts: "3s 1min" },
    ]);
    expect(result.applied[1]!.reports.map((r) => [r.workflowId, r.outcome])).toEqual([
      ["w-inserted", "inserted"],
      ["w-skipped-conflict", "skipped-conflict"],
    ]);
    expect(migrateUpExitCode(result)).toBe(0);
    expect(migrateUpExitCode(result, { failOnConflict: true })).toBe(3);
  });

  it("places errors in files over 1 MB (sent as their own query) at their line and column", async () => {
    const db = await database();
    const filler = `select '${"z".repeat(1000)}';\n`.repeat(1200);
    const folder = migrationsFolder({ "20250101000000_big.sql": `create table t (x int);\n${filler}insert into t values (1, 2);\n` });
    const result = await run(db, folder);
    expect(result.failure).toMatchObject({ statement: 1202, line: 1202, column: 26, code: "42601" });
    expect(await db.query("select to_regclass('t') as t")).toEqual([{ t: null }]);
  });

  it("applies a 20 MB file", async () => {
    const db = await database();
    const row = `('${"x".repeat(1000)}; -- not a comment')`;
    const values = Array.from({ length: 20_000 }, () => row).join(",\n");
    const folder = migrationsFolder({ "20250101000000_big.sql": `create table big (s text);\ninsert into big values\n${values};\n` });
    const result = await run(db, folder);
    expect(result.status).toBe("ok");
    expect(await db.query("select count(*)::int as n from big")).toEqual([{ n: 20_000 }]);
    expect((await historyRows(db))[0]!.statements).toHaveLength(2);
  });
});
