import { describe, expect, it } from "vitest";
import { compareWorkflow, compareWorkflows, type DbWorkflow, type FileWorkflow } from "../../../src/status/agreement.ts";

const db = (partial: Partial<DbWorkflow> = {}): DbWorkflow => ({
  id: "wf1",
  name: "Flow",
  versionId: "v1",
  updatedAt: new Date("2025-01-01T00:00:00Z"),
  lastSyncedVersionId: "v1",
  ...partial,
});
const file = (partial: Partial<FileWorkflow> = {}): FileWorkflow => ({
  id: "wf1",
  name: "Flow",
  versionId: "v1",
  updatedAt: new Date("2025-01-01T00:00:00Z"),
  file: "20250101000000_flow.sql",
  applied: true,
  ...partial,
});

describe("compareWorkflow", () => {
  it.each([
    ["same versionId", db(), file(), "same"],
    ["applied file, database edited since", db({ versionId: "v2" }), file(), "db-ahead"],
    ["pending file, database still at the synced version", db(), file({ versionId: "v2", applied: false }), "file-ahead"],
    ["pending file, database edited since, file newer", db({ versionId: "v2" }), file({ versionId: "v3", applied: false, updatedAt: new Date("2025-02-01Z") }), "conflict"],
    ["pending file, database edited since, database newer", db({ versionId: "v2", updatedAt: new Date("2025-03-01Z") }), file({ versionId: "v3", applied: false }), "conflict"],
    ["pending file, never synced, different version", db({ versionId: "v2", lastSyncedVersionId: null }), file({ versionId: "v3", applied: false }), "conflict"],
    ["no file", db(), undefined, "only-in-db"],
    ["no database row", undefined, file({ applied: false }), "only-in-files"],
  ] as const)("%s -> %s", (_case, dbState, fileState, expected) => {
    expect(compareWorkflow(dbState, fileState).agreement).toBe(expected);
  });

  it("says what to do", () => {
    expect(compareWorkflow(db({ versionId: "v2" }), file()).detail).toBe("edited here since 20250101000000_flow.sql: export it to share the change");
    expect(compareWorkflow(db({ versionId: "v2" }), file({ versionId: "v3", applied: false, updatedAt: new Date("2025-02-01Z") })).detail).toContain(
      "migrate-up would overwrite the edit here",
    );
  });

  it("lists every workflow once, conflicts first", () => {
    const entries = compareWorkflows(
      [db({ id: "a", name: "A" }), db({ id: "b", name: "B", versionId: "v2" })],
      [file({ id: "b", name: "B", versionId: "v3", applied: false, updatedAt: new Date("2025-02-01Z") }), file({ id: "c", name: "C", applied: false })],
    );
    expect(entries.map((e) => [e.workflowId, e.agreement])).toEqual([
      ["b", "conflict"],
      ["a", "only-in-db"],
      ["c", "only-in-files"],
    ]);
  });
});
