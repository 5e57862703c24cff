import { describe, expect, it } from "vitest";
import { REASONS, resolveConflict, type Action } from "../../../src/workflows/conflict.ts";

const t = (minute: number) => new Date(Date.UTC(2025, 0, 1, 0, minute));

describe("resolveConflict", () => {
  const incoming = { versionId: "v2", updatedAt: t(10) };
  it.each<[string, Parameters<typeof resolveConflict>[0], Action, string]>([
    ["absent", null, "insert", REASONS.new],
    ["same version", { versionId: "v2", updatedAt: t(99), lastSyncedVersionId: null }, "unchanged", REASONS.sameVersion],
    ["synced version, newer clock", { versionId: "v1", updatedAt: t(99), lastSyncedVersionId: "v1" }, "update", REASONS.fastForward],
    ["edited since, file newer", { versionId: "vX", updatedAt: t(5), lastSyncedVersionId: "v1" }, "overwrite-conflict", REASONS.editedIncomingNewer],
    ["edited since, target newer", { versionId: "vX", updatedAt: t(11), lastSyncedVersionId: "v1" }, "skip-conflict", REASONS.editedTargetNewer],
    ["edited since, same instant", { versionId: "vX", updatedAt: t(10), lastSyncedVersionId: "v1" }, "skip-conflict", REASONS.editedTargetNewer],
    ["never synced, file newer", { versionId: "vX", updatedAt: t(5), lastSyncedVersionId: null }, "overwrite-conflict", REASONS.unsyncedIncomingNewer],
    ["never synced, target newer", { versionId: "vX", updatedAt: t(20), lastSyncedVersionId: null }, "skip-conflict", REASONS.unsyncedTargetNewer],
  ])("%s -> %s", (_name, target, action, reason) => {
    expect(resolveConflict(target, incoming)).toMatchObject({ action, reason });
  });

  it("names the outcome the SQL records", () => {
    expect(resolveConflict({ versionId: "vX", updatedAt: t(20), lastSyncedVersionId: null }, incoming).outcome).toBe("skipped-conflict");
    expect(resolveConflict({ versionId: "vX", updatedAt: t(1), lastSyncedVersionId: null }, incoming).outcome).toBe("overwrote-conflict");
  });
});
