// migrate-up on files a careless teammate or a malicious pull request puts in the folder: a link out of
// the folder (to a .env), a dangling link, UTF-16, Latin-1, a truncated huge file. Each is refused or
// reported by its cause, quotes nothing of a file outside the folder, and stays a bounded message.
import { symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { historyRows, migrateUpScript, migrationsFolder, perTestDatabases, runScript } from "./helpers.ts";

const database = perTestDatabases();
const SECRET = "s3cr3t-Pa55word-never-printed";

describe("migrate-up refuses files that are not the folder's UTF-8 text", () => {
  it("a symbolic link resolving outside the folder is refused, and its target never printed", async () => {
    const db = await database();
    const folder = migrationsFolder({ "20250101000000_ok.sql": "CREATE TABLE ok_before (x int);\n" });
    const env = path.join(folder.dir, ".env.leak");
    writeFileSync(env, `DATABASE_URL=postgresql://postgres:${SECRET}@db.example.com:5432/postgres\nSELECT 1;\n`);
    symlinkSync(env, path.join(folder.migrationsDir, "20250102000000_leak.sql"));
    const run = await migrateUpScript(db, folder);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/20250102000000_leak\.sql is a symbolic link that resolves outside the migrations folder/);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
    expect(run.stdout + run.stderr).not.toContain("DATABASE_URL=");
    expect((await historyRows(db)).map((r) => r.version)).toEqual(["20250101000000"]);
  });

  it("a link to /etc/passwd is refused too; a link to a file inside the folder applies", async () => {
    const db = await database();
    const folder = migrationsFolder({ "20250101000000_real.sql": "CREATE TABLE real_one (x int);\n", "snippet.txt": "CREATE TABLE linked_inside (x int);\n" });
    symlinkSync("snippet.txt", path.join(folder.migrationsDir, "20250102000000_alias.sql"));
    symlinkSync("/etc/passwd", path.join(folder.migrationsDir, "20250103000000_passwd.sql"));
    const run = await migrateUpScript(db, folder);
    expect(run.stderr).toContain("20250103000000_passwd.sql is a symbolic link that resolves outside the migrations folder");
    expect(run.stdout + run.stderr).not.toContain("root:");
    expect((await historyRows(db)).map((r) => r.version)).toEqual(["20250101000000", "20250102000000"]);
  });

  it("a dangling link says so, not that the connection was lost", async () => {
    const db = await database();
    const folder = migrationsFolder();
    symlinkSync(path.join(folder.migrationsDir, "gone.sql.txt"), path.join(folder.migrationsDir, "20250101000000_dangling.sql"));
    const run = await migrateUpScript(db, folder);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("20250101000000_dangling.sql is a symbolic link to a file that does not exist: fix or remove the link");
    expect(run.stderr).not.toMatch(/connection/);
  });

  it("UTF-16 and a BOM are refused by cause; nothing is sent", async () => {
    const db = await database();
    const folder = migrationsFolder();
    writeFileSync(path.join(folder.migrationsDir, "20250101000000_utf16.sql"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("CREATE TABLE t16 (x int);\n", "utf16le")]));
    const run = await migrateUpScript(db, folder);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("20250101000000_utf16.sql is UTF-16 (little-endian byte order mark): save it as UTF-8");
    expect(run.stderr).not.toMatch(/connection/);

    const noBom = migrationsFolder();
    writeFileSync(path.join(noBom.migrationsDir, "20250101000000_utf16.sql"), Buffer.from("CREATE TABLE t16 (x int);\n", "utf16le"));
    expect((await migrateUpScript(db, noBom)).stderr).toContain("looks like UTF-16");
    expect(await historyRows(db)).toEqual([]);
  });

  it("Latin-1 is refused with the byte offset instead of applied with U+FFFD", async () => {
    const db = await database();
    const folder = migrationsFolder();
    const sql = Buffer.concat([Buffer.from("CREATE TABLE latin (x text);\nINSERT INTO latin VALUES ('caf"), Buffer.from([0xe9]), Buffer.from("');\n")]);
    writeFileSync(path.join(folder.migrationsDir, "20250101000000_latin1.sql"), sql);
    const run = await migrateUpScript(db, folder);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`20250101000000_latin1.sql is not valid UTF-8 at byte ${sql.indexOf(0xe9)} (0xe9): save it as UTF-8`);
    expect(await db.query("SELECT to_regclass('latin') AS t")).toEqual([{ t: null }]);
  });

  it("a truncated 8 MB file gets a bounded error that still ends with what was applied", async () => {
    const db = await database();
    const folder = migrationsFolder();
    folder.write("20250101000000_truncated.sql", `SELECT $body$${"x".repeat(8 * 1024 * 1024)}\n`);
    const run = await migrateUpScript(db, folder);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("unterminated dollar-quoted string");
    expect(run.stderr.length + run.stdout.length).toBeLessThan(4000);
    expect(run.stderr).toContain("nothing of this file was applied");
  });
});

describe("local problems are named by cause, never as a lost connection", () => {
  it("MIGRATIONS_DIR being a file: export, migrate-up and validate say so", async () => {
    const db = await database("n8n2");
    const folder = migrationsFolder();
    const file = path.join(folder.dir, "not-a-folder");
    writeFileSync(file, "");
    const env = { DATABASE_URL: db.url, MIGRATIONS_DIR: file, N8N_DB_SCHEMA: db.schema };
    for (const [script, args] of [["export", ["--all"]], ["migrate-up", []], ["validate", ["--all"]]] as const) {
      const run = await runScript(script, args, env, folder.dir);
      expect(run.code, script).toBe(1);
      expect(run.stderr, script).toContain(`MIGRATIONS_DIR ${file} is a file`);
      expect(run.stderr, script).not.toMatch(/connection/);
    }
  });

  it("validate --all with a MIGRATIONS_DIR that does not exist fails (a typo must not pass CI)", async () => {
    const folder = migrationsFolder();
    const run = await runScript("validate", ["--all"], { MIGRATIONS_DIR: path.join(folder.dir, "supabase/migratoins") }, folder.dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("supabase/migratoins does not exist: set MIGRATIONS_DIR to the migrations folder");
    expect(run.stdout).not.toContain("validated 0 migration files");
  });
});
