import { describe, expect, it } from "vitest";
import { chooseVersion, type KnownVersion } from "../../../src/rollback/choose-version.ts";
import { restoredWorkflow } from "../../../src/rollback/restore.ts";
import type { ExportedWorkflow } from "../../../src/n8n/workflow.ts";

const v = (versionId: string, day: number, from = "workflow_history"): KnownVersion => ({ versionId, at: new Date(Date.UTC(2025, 0, day)), from });

describe("chooseVersion", () => {
  const history = [v("v3", 3), v("v2", 2), v("v1", 1)];
  const files = [v("v2", 2, "20250102000000_flow.sql"), v("v0", 0, "20241231000000_flow.sql")];

  it("previous: the version saved before the current one", () => {
    expect(chooseVersion("v3", "previous", history, files)).toEqual({ ok: true, version: history[1] });
    expect(chooseVersion("v2", "previous", history, files)).toEqual({ ok: true, version: history[2] });
  });

  it("previous: the newest other version when the current one has no history row; else the files", () => {
    expect(chooseVersion("v9", "previous", history, files)).toEqual({ ok: true, version: history[0] });
    expect(chooseVersion("v2", "previous", [], files)).toEqual({ ok: true, version: files[1] });
  });

  it("a versionId: from history first, else from a file", () => {
    expect(chooseVersion("v3", "v2", history, files)).toEqual({ ok: true, version: history[1] });
    expect(chooseVersion("v3", "v0", history, files)).toEqual({ ok: true, version: files[1] });
  });

  it("refuses the current version, and lists recent versions for an unknown one", () => {
    expect(chooseVersion("v3", "v3", history, files)).toEqual({ ok: false, message: "the workflow is already at version v3: nothing to roll back" });
    const unknown = chooseVersion("v3", "nope", history, files);
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.message).toBe(
      "version nope not found in workflow_history or the migration files; recent versions: v2 (2025-01-02T00:00:00.000Z, workflow_history); " +
        "v1 (2025-01-01T00:00:00.000Z, workflow_history); v0 (2024-12-31T00:00:00.000Z, 20241231000000_flow.sql); or use --to previous",
    );
    expect(chooseVersion("v1", "previous", [v("v1", 1)], [])).toMatchObject({ ok: false });
  });
});

describe("restoredWorkflow", () => {
  it("takes the earlier definition under a new version and time, keeping the rest", () => {
    const current = {
      id: "wf",
      name: "Now",
      versionId: "v3",
      createdAt: "2025-01-01T00:00:00.000Z",
      updatedAt: "2025-01-03T00:00:00.000Z",
      active: true,
      isArchived: false,
      description: "now",
      nodes: [{ name: "B" }],
      connections: {},
      settings: { timezone: "UTC" },
      meta: { m: 1 },
      nodeGroups: [],
      pinData: { B: [] },
      tags: ["t"],
      credentials: [],
    } satisfies ExportedWorkflow;
    const nodes = [{ name: "A", credentials: { slackApi: { id: "c1", name: "Slack" } } }];
    const restored = restoredWorkflow(current, { name: "Then", nodes, connections: { A: {} }, description: null }, "v4", new Date("2025-02-01T00:00:00Z"));
    expect(restored).toEqual({
      ...current,
      name: "Then",
      nodes,
      connections: { A: {} },
      description: null,
      versionId: "v4",
      updatedAt: "2025-02-01T00:00:00.000Z",
      credentials: [{ nodeIndex: 0, node: "A", type: "slackApi", id: "c1", name: "Slack" }],
      pinData: undefined,
    });
    expect("pinData" in restored).toBe(false);
  });
});
