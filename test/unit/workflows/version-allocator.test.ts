// The version allocator of one export run: made once from the folder's file names, it never repeats a
// version of the folder nor of the run, follows the injected clock, and steps over taken versions once.
import { describe, expect, it } from "vitest";
import { createVersionAllocator, migrationFileName, PROD_SYNC_PREFIX, versionStamp } from "../../../src/workflows/naming.ts";

const at = (iso: string) => new Date(iso);
const version = (file: string) => file.slice(0, 14);

describe("createVersionAllocator", () => {
  it("takes the clock's second when free, else the next free one, never one of the folder or of the run", () => {
    const existing = ["20250101000000_other.sql", "20250101000001_x.sql", "20250101000003_y.sql", "README.md", "notes.sql"];
    const versions = createVersionAllocator(existing);
    const now = at("2025-01-01T00:00:00.700Z");
    expect(versions.next(now, "A")).toBe("20250101000002_a.sql");
    expect(versions.next(now, "B", PROD_SYNC_PREFIX)).toBe("20250101000004_prod_sync_b.sql");
    expect(versions.next(now, "A")).toBe("20250101000005_a.sql");
    // a later clock is followed as is; an earlier one never goes back before the run's last version
    expect(versions.next(at("2025-01-01T00:10:00Z"), "C")).toBe("20250101001000_c.sql");
    expect(versions.next(at("2025-01-01T00:00:00Z"), "D")).toBe("20250101001001_d.sql");
  });

  it("crosses minutes, days and years like the clock", () => {
    const versions = createVersionAllocator(["20251231235959_a.sql"]);
    expect(versions.next(at("2025-12-31T23:59:59Z"), "A")).toBe("20260101000000_a.sql");
  });

  it("20,000 files in the same second of a folder already holding 5,000: every version unique, consecutive, in clock order", () => {
    const start = at("2025-06-01T08:00:00Z").getTime();
    // the folder holds every other second of the first 10,000
    const existing = Array.from({ length: 5_000 }, (_, i) => `${versionStamp(new Date(start + 2 * i * 1000))}_old.sql`);
    const versions = createVersionAllocator(existing);
    const files = Array.from({ length: 20_000 }, (_, i) => versions.next(new Date(start + 400), `Workflow ${i}`));

    const taken = new Set(existing.map(version));
    const expected: string[] = [];
    for (let time = start; expected.length < 20_000; time += 1000) {
      if (!taken.has(versionStamp(new Date(time)))) expected.push(versionStamp(new Date(time)));
    }
    expect(files.map(version)).toEqual(expected);
    expect(files[19_999]).toBe(`${expected[19_999]}_workflow_19999.sql`);
  });

  it("is deterministic: the same folder and clock give the same names", () => {
    const run = () => {
      const versions = createVersionAllocator(["20250101000000_a.sql"]);
      return ["A", "B", "C"].map((name) => versions.next(at("2025-01-01T00:00:00Z"), name));
    };
    expect(run()).toEqual(run());
    expect(run()).toEqual(["20250101000001_a.sql", "20250101000002_b.sql", "20250101000003_c.sql"]);
  });

  it("migrationFileName names one file alone the same way", () => {
    const existing = ["20250101000000_a.sql"];
    expect(migrationFileName({ workflowName: "A", now: at("2025-01-01T00:00:00Z"), existing })).toBe(
      createVersionAllocator(existing).next(at("2025-01-01T00:00:00Z"), "A"),
    );
  });
});
