// validate on files a pull request can hold besides SQL: links out of the folder, dangling links, text
// that is not UTF-8; and a MIGRATIONS_DIR that does not exist (a typo must not pass CI).
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatProblem } from "../../../src/validate/problem.ts";
import { selectFiles } from "../../../src/validate/selection.ts";
import { validateFiles } from "../../../src/validate/validate.ts";

const SECRET = "DATABASE_URL=postgresql://postgres:hunter2hunter2@db.example.com/postgres";

function folder(): { root: string; dir: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-hostile-"));
  const dir = path.join(root, "migrations");
  mkdirSync(dir);
  return { root, dir };
}

async function problems(dir: string, files: string[]): Promise<string[]> {
  const result = await validateFiles({ files: files.map((f) => path.join(dir, f)), allowlist: { allow: [] }, cwd: dir });
  return result.problems.map(formatProblem);
}

describe("validate: files that are not the folder's UTF-8 text", () => {
  it("a link resolving outside the folder is a problem, and no line of its target is printed", async () => {
    const { root, dir } = folder();
    writeFileSync(path.join(root, ".env"), `${SECRET}\n`);
    symlinkSync(path.join(root, ".env"), path.join(dir, "20250101000000_env.sql"));
    symlinkSync("/etc/passwd", path.join(dir, "20250101000001_passwd.sql"));
    const found = await problems(dir, ["20250101000000_env.sql", "20250101000001_passwd.sql"]);
    expect(found).toEqual([
      "20250101000000_env.sql:1: 20250101000000_env.sql is a symbolic link that resolves outside the migrations folder: n8n-sync reads only files inside it; copy the migration into the folder instead of linking it",
      "20250101000001_passwd.sql:1: 20250101000001_passwd.sql is a symbolic link that resolves outside the migrations folder: n8n-sync reads only files inside it; copy the migration into the folder instead of linking it",
    ]);
    expect(found.join("\n")).not.toMatch(/hunter2|root:/);
  });

  it("a dangling link is named as one", async () => {
    const { dir } = folder();
    symlinkSync(path.join(dir, "nowhere"), path.join(dir, "20250101000000_gone.sql"));
    expect(await problems(dir, ["20250101000000_gone.sql"])).toEqual([
      "20250101000000_gone.sql:1: 20250101000000_gone.sql is a symbolic link to a file that does not exist: fix or remove the link",
    ]);
  });

  it("Latin-1, UTF-16 and a UTF-8 BOM are problems with the line and byte offset", async () => {
    const { dir } = folder();
    const latin = Buffer.concat([Buffer.from("CREATE TABLE t (x text);\n-- r\u00e9sum\u00e9 ok\nINSERT INTO t VALUES ('caf"), Buffer.from([0xe9]), Buffer.from("');\n")]);
    writeFileSync(path.join(dir, "20250101000000_latin1.sql"), latin);
    writeFileSync(path.join(dir, "20250101000001_utf16.sql"), Buffer.from("SELECT 1;\n", "utf16le"));
    writeFileSync(path.join(dir, "20250101000002_bom.sql"), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("SELECT 1;\n")]));
    expect(await problems(dir, ["20250101000000_latin1.sql", "20250101000001_utf16.sql", "20250101000002_bom.sql"])).toEqual([
      `20250101000000_latin1.sql:3: 20250101000000_latin1.sql is not valid UTF-8 at byte ${latin.indexOf(0xe9)} (0xe9): save it as UTF-8 (it may be Latin-1 or Windows-1252)`,
      "20250101000001_utf16.sql:1: 20250101000001_utf16.sql looks like UTF-16 (zero bytes from byte 1): save it as UTF-8",
      "20250101000002_bom.sql:1: 20250101000002_bom.sql starts with a UTF-8 byte order mark, which PostgreSQL and Supabase CLI read as part of the SQL: save it as UTF-8 without BOM",
    ]);
  });

  it("a link to a file inside the folder is read like the file", async () => {
    const { dir } = folder();
    writeFileSync(path.join(dir, "shared.txt"), "SELECT 1;\n");
    symlinkSync("shared.txt", path.join(dir, "20250101000000_alias.sql"));
    expect(await problems(dir, ["20250101000000_alias.sql"])).toEqual([]);
  });
});

describe("validate: MIGRATIONS_DIR", () => {
  it("missing or a file fails instead of validating 0 files", async () => {
    const { root } = folder();
    await expect(selectFiles({ files: [], all: true, migrationsDir: path.join(root, "supabase/migrations") })).rejects.toThrow(
      `MIGRATIONS_DIR ${path.join(root, "supabase/migrations")} does not exist: set MIGRATIONS_DIR to the migrations folder (or pass the files to check)`,
    );
    await expect(selectFiles({ files: [], migrationsDir: path.join(root, "typo") })).rejects.toThrow(/does not exist/);
    writeFileSync(path.join(root, "file"), "");
    await expect(selectFiles({ files: [], all: true, migrationsDir: path.join(root, "file") })).rejects.toThrow(/is a file, not a folder/);
  });
});
