import { describe, expect, it } from "vitest";
import { classifyFileName, parseMigrationFolder } from "../../../src/migrations/files.ts";

describe("migration file names", () => {
  it("accepts <14-digit version>_<name>.sql", () => {
    expect(classifyFileName("20251003120000_add_agent.sql")).toEqual({ kind: "migration", version: "20251003120000", name: "add_agent" });
    expect(classifyFileName("20251003120000_.sql")).toEqual({ kind: "migration", version: "20251003120000", name: "" });
  });

  it("flags near misses and ignores unrelated files", () => {
    expect(classifyFileName("2025_foo.sql")).toMatchObject({ kind: "near-miss", reason: expect.stringContaining("14 digits") });
    expect(classifyFileName("20251003120000_foo.SQL")).toMatchObject({ kind: "near-miss", reason: expect.stringContaining("lower-case") });
    expect(classifyFileName("20251003120000-foo.sql")).toMatchObject({ kind: "near-miss", reason: expect.stringContaining("underscore") });
    expect(classifyFileName("seed.sql")).toMatchObject({ kind: "near-miss" });
    expect(classifyFileName("20251003120000_foo.sql.bak")).toMatchObject({ kind: "near-miss" });
    expect(classifyFileName("README.md")).toEqual({ kind: "ignored" });
    expect(classifyFileName(".gitkeep")).toEqual({ kind: "ignored" });
  });

  it("sorts by version, warns on near misses and reports duplicate versions", () => {
    const folder = parseMigrationFolder("/m", ["20250102000000_b.sql", "2025_x.sql", "20250101000000_a.sql", "20250102000000_c.sql"]);
    expect(folder.migrations.map((m) => m.file)).toEqual(["20250101000000_a.sql", "20250102000000_b.sql", "20250102000000_c.sql"]);
    expect(folder.migrations[0]!.path).toBe("/m/20250101000000_a.sql");
    expect(folder.warnings).toEqual([expect.stringMatching(/^ignoring 2025_x\.sql: /)]);
    expect(folder.duplicateVersions).toEqual(["20250102000000"]);
  });
});
