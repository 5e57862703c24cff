import { describe, expect, it } from "vitest";
import { REASONS, replayFiles, resolveConflict, type Action } from "../../../src/workflows/conflict.ts";

const t = (minute: number) => new Date(Date.UTC(2025, 0, 1, 0, minute));
const none: ReadonlySet<string> = new Set();

describe("resolveConflict", () => {
  const incoming = { versionId: "v2", updatedAt: t(10) };
  it.each<[string, Parameters<typeof resolveConflict>[0], Action, string]>([
    ["absent", null, "insert", REASONS.new],
    ["same version", { versionId: "v2", updatedAt: t(99), lastSyncedVersionId: null, history: none }, "unchanged", REASONS.sameVersion],
    ["synced version, newer clock", { versionId: "v1", updatedAt: t(99), lastSyncedVersionId: "v1", history: none }, "update", REASONS.fastForward],
    ["edited since, file newer", { versionId: "vX", updatedAt: t(5), lastSyncedVersionId: "v1", history: none }, "overwrite-conflict", REASONS.editedIncomingNewer],
    ["edited since, target newer", { versionId: "vX", updatedAt: t(11), lastSyncedVersionId: "v1", history: none }, "skip-conflict", REASONS.editedTargetNewer],
    ["edited since, same instant", { versionId: "vX", updatedAt: t(10), lastSyncedVersionId: "v1", history: none }, "skip-conflict", REASONS.editedTargetNewer],
    ["never synced, file newer", { versionId: "vX", updatedAt: t(5), lastSyncedVersionId: null, history: none }, "overwrite-conflict", REASONS.unsyncedIncomingNewer],
    ["never synced, target newer", { versionId: "vX", updatedAt: t(20), lastSyncedVersionId: null, history: none }, "skip-conflict", REASONS.unsyncedTargetNewer],
    ["file's version in the history, never synced", { versionId: "vX", updatedAt: t(20), lastSyncedVersionId: null, history: new Set(["v2"]) }, "unchanged", REASONS.alreadyNewer],
    ["file's version in the history, still synced: no step back", { versionId: "v3", updatedAt: t(20), lastSyncedVersionId: "v3", history: new Set(["v2", "v3"]) }, "unchanged", REASONS.alreadyNewer],
  ])("%s -> %s", (_name, target, action, reason) => {
    expect(resolveConflict(target, incoming)).toMatchObject({ action, reason });
  });

  it("names the outcome the SQL records", () => {
    expect(resolveConflict({ versionId: "vX", updatedAt: t(20), lastSyncedVersionId: null, history: none }, incoming).outcome).toBe("skipped-conflict");
    expect(resolveConflict({ versionId: "vX", updatedAt: t(1), lastSyncedVersionId: null, history: none }, incoming).outcome).toBe("overwrote-conflict");
  });
});

describe("replayFiles", () => {
  const target = { versionId: "v2", updatedAt: t(5), lastSyncedVersionId: "v1", history: new Set(["v1", "v2"]) };
  const actions = (files: Parameters<typeof replayFiles>[1], from: Parameters<typeof replayFiles>[0] = target) => replayFiles(from, files).map((d) => d.action);

  it("decides each file on the state the earlier ones leave", () => {
    // dev's own export (v2) confirms v2 as synced: prod's next version (v3) then fast-forwards.
    expect(actions([{ versionId: "v2", updatedAt: t(5) }, { versionId: "v3", updatedAt: t(6) }])).toEqual(["unchanged", "update"]);
    // Alone, the same v3 file meets an edit made since the last sync.
    expect(actions([{ versionId: "v3", updatedAt: t(6) }])).toEqual(["overwrite-conflict"]);
  });

  it("a written file is the new synced version and in the history; a skipped conflict changes nothing", () => {
    expect(actions([{ versionId: "v9", updatedAt: t(1) }, { versionId: "v8", updatedAt: t(2) }])).toEqual(["skip-conflict", "skip-conflict"]);
    expect(actions([{ versionId: "v3", updatedAt: t(6) }, { versionId: "v4", updatedAt: t(1) }, { versionId: "v3", updatedAt: t(6) }])).toEqual([
      "overwrite-conflict",
      "update",
      "unchanged",
    ]);
    expect(actions([{ versionId: "v1", updatedAt: t(0) }, { versionId: "v2", updatedAt: t(1) }], null)).toEqual(["insert", "update"]);
  });
});
