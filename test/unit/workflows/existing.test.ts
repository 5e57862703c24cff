import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { listSqlFileNames, migratedVersions, readWorkflowMigrations } from "../../../src/workflows/existing.ts";
import { renderHeader } from "../../../src/workflows/header.ts";

describe("existing workflow migrations", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const folder = (files: Record<string, string>) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-existing-"));
    dirs.push(dir);
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
    return dir;
  };
  const header = (migration: string, versionId: string) =>
    renderHeader({ migration, source: "dev", workflowName: "W", lastUpdated: "2025-01-01T00:00:00.000Z", workflowId: "w1", versionId, n8n: "2.x (schema public)", generatedBy: "n8n-sync 0" });

  it("maps each versionId to the file bringing it, reading only headers of workflow migrations", async () => {
    const dir = folder({
      "20250101000000_a.sql": `${header("20250101000000_a.sql", "v1")}\n\nDO $$ BEGIN END $$;`,
      // a large file: only its first bytes are read
      "20250102000000_b.sql": `${header("20250102000000_b.sql", "v2")}\n\n-- ${"x".repeat(5_000_000)}`,
      "20250103000000_schema.sql": "CREATE TABLE t (id int);",
      "notes.txt": "not a migration",
    });
    expect(await listSqlFileNames(dir)).toEqual(["20250101000000_a.sql", "20250102000000_b.sql", "20250103000000_schema.sql"]);
    expect((await readWorkflowMigrations(dir)).map((m) => m.file)).toEqual(["20250101000000_a.sql", "20250102000000_b.sql"]);
    expect(migratedVersions(await readWorkflowMigrations(dir))).toEqual(new Map([["v1", "20250101000000_a.sql"], ["v2", "20250102000000_b.sql"]]));
  });

  it("treats a folder that does not exist yet as empty", async () => {
    expect(await listSqlFileNames(path.join(os.tmpdir(), "n8n-sync-no-such-folder"))).toEqual([]);
  });
});
