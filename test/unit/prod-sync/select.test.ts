import { describe, expect, it } from "vitest";
import { describeSelection, parseDays, parsePositiveInt, selectionFilter, type Selection } from "../../../src/prod-sync/select.ts";
import { partitionByExisting, selectionProblems as unmatched } from "../../../src/workflows/export-selection.ts";

const base: Selection = { days: 7, names: [], ids: [], includeArchived: false };
const now = new Date("2026-11-26T12:00:00.000Z");

describe("selection", () => {
  it("by age: changed since now - N days; by name or id: any age", () => {
    expect(selectionFilter(base, now)).toEqual({ changedSince: new Date("2026-11-19T12:00:00.000Z"), includeArchived: false });
    expect(selectionFilter({ ...base, days: 1, includeArchived: true }, now)).toEqual({
      changedSince: new Date("2026-11-25T12:00:00.000Z"),
      includeArchived: true,
    });
    expect(selectionFilter({ ...base, names: ["A"], ids: ["x"] }, now)).toEqual({ names: ["A"], ids: ["x"], includeArchived: false });
  });

  it("describes itself for the summary", () => {
    expect(describeSelection(base)).toBe("changed in the last 7 days");
    expect(describeSelection({ ...base, days: 1, includeArchived: true })).toBe("changed in the last 1 day (archived included)");
    expect(describeSelection({ ...base, names: ["A", 'B "b"'], ids: ["x1"] })).toBe('named "A", "B \\"b\\"" or with id x1');
  });

  it("days and counts are whole numbers of 1 or more (usage error otherwise); days default to 7", () => {
    expect(parseDays(undefined, "EXPORT_PROD_DAYS")).toBe(7);
    expect(parseDays(" ", "EXPORT_PROD_DAYS")).toBe(7);
    expect(parseDays("30", "--days")).toBe(30);
    for (const bad of ["0", "-1", "1.5", "seven"]) {
      expect(() => parseDays(bad, "--days")).toThrow(expect.objectContaining({ exitCode: 2, message: `--days must be a whole number of 1 or more, got "${bad}"` }));
    }
    expect(parsePositiveInt("4", "--concurrency")).toBe(4);
  });

  it("names and ids that matched nothing", () => {
    const found = [{ id: "a1", name: "Orders", versionId: "v1", updatedAt: "", isArchived: false }];
    expect(unmatched({ ...base, names: ["Orders", "Billing"], ids: ["a1", "zz"] }, found)).toEqual([
      'no workflow named "Billing"',
      "no workflow with id zz",
    ]);
  });

  it("skips workflows whose current version already has a migration", () => {
    const w = (id: string, versionId: string) => ({ id, name: id, versionId, updatedAt: "", isArchived: false });
    const result = partitionByExisting([w("a", "v1"), w("b", "v2")], new Map([["v2", "2025_b.sql"]]));
    expect(result).toEqual({ toExport: [w("a", "v1")], alreadyExported: [{ workflow: w("b", "v2"), file: "2025_b.sql" }] });
  });
});
