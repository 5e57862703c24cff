import { describe, expect, it } from "vitest";
import { diffWorkflows, isEmptyDiff } from "../../../src/diff/workflow-diff.ts";
import { aiAgent, big, copy, generated } from "./workflows.ts";

/** The same JSON with every object's keys in reverse order. */
function reorderKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorderKeys);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reorderKeys(v)]));
  return value;
}

describe("diffWorkflows", () => {
  it("same content in another key order and node order: no change", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const before = generated(seed);
      const after = reorderKeys(copy(before)) as typeof before;
      after.nodes.reverse();
      const diff = diffWorkflows(before, after);
      expect(isEmptyDiff(diff)).toBe(true);
      expect(diff.layoutChanges).toBe(0);
    }
  });

  it("positions and sticky-note sizes are counted, not listed", () => {
    const before = generated(3);
    before.nodes.push({ id: "s1", name: "Note", type: "n8n-nodes-base.stickyNote", typeVersion: 1, position: [0, 300], parameters: { content: "## Why", width: 200, height: 100 } });
    const after = copy(before);
    after.nodes[0]!.position = [500, 500];
    after.nodes[1]!.position = [600, 500];
    after.nodes.at(-1)!.parameters.width = 400;
    const diff = diffWorkflows(before, after);
    expect(isEmptyDiff(diff)).toBe(true);
    expect(diff.layoutChanges).toBe(3);
    after.nodes.at(-1)!.parameters.content = "## Why not";
    expect(diffWorkflows(before, after).nodesChanged).toEqual([
      expect.objectContaining({ name: "Note", changes: [{ path: "parameters.content", before: "## Why", after: "## Why not" }] }),
    ]);
  });

  it("a renamed node keeps its id: one rename, no connection removed or added", () => {
    const before = generated(5);
    const after = copy(before);
    const node = after.nodes[1]!;
    const oldName = node.name as string;
    node.name = "Renamed step";
    after.connections["Renamed step"] = after.connections[oldName];
    delete after.connections[oldName];
    for (const byType of Object.values(after.connections))
      for (const targets of (byType as any).main) for (const t of targets) if (t.node === oldName) t.node = "Renamed step";
    const diff = diffWorkflows(before, after);
    expect(diff.nodesChanged).toEqual([expect.objectContaining({ name: "Renamed step", previousName: oldName, changes: [] })]);
    expect(diff.connectionsAdded).toEqual([]);
    expect(diff.connectionsRemoved).toEqual([]);
    expect(diff.graph.nodes.find((n) => n.name === "Renamed step")?.status).toBe("changed");
  });

  it("changed parameters with old and new values; code as a line diff", () => {
    const before = generated(2);
    const after = copy(before);
    const http = after.nodes.find((n) => n.type === "n8n-nodes-base.httpRequest")!;
    const code = after.nodes.find((n) => n.type === "n8n-nodes-base.code")!;
    const oldUrl = http.parameters.url;
    http.parameters.url = "=https://api.example.com/v3/orders";
    http.parameters.options.timeout = 30_000;
    code.parameters.jsCode = code.parameters.jsCode.replace("const out = [];", "const out = [];\nconst seen = new Set();");
    const diff = diffWorkflows(before, after);
    expect(diff.nodesChanged.find((n) => n.name === http.name)?.changes).toEqual([
      { path: "parameters.url", before: oldUrl, after: "=https://api.example.com/v3/orders" },
      { path: "parameters.options.timeout", before: 10_000, after: 30_000 },
    ]);
    const [jsCode] = diff.nodesChanged.find((n) => n.name === code.name)!.changes;
    expect(jsCode?.path).toBe("parameters.jsCode");
    expect(jsCode?.lines?.filter((l) => l.op !== " " && l.op !== "…")).toEqual([{ op: "+", text: "const seen = new Set();" }]);
    expect(jsCode?.lines?.at(-1)).toMatchObject({ op: "…", text: expect.stringMatching(/^\d+ unchanged lines$/) });
  });

  it("nodes added and removed, connections with IF output names", () => {
    const before = generated(2);
    const after = copy(before);
    const last = after.nodes.at(-1)!;
    after.nodes.push({ id: "new1", name: "Notify Slack", type: "n8n-nodes-base.slack", typeVersion: 2.2, position: [0, 0], parameters: { text: "done" } });
    after.nodes.push({ id: "new2", name: "Check", type: "n8n-nodes-base.if", typeVersion: 2.2, position: [0, 0], parameters: {} });
    after.connections[last.name] = { main: [[{ node: "Check", type: "main", index: 0 }]] };
    after.connections.Check = { main: [[{ node: "Notify Slack", type: "main", index: 0 }], []] };
    const removed = after.nodes.splice(0, 1)[0]!;
    delete after.connections[removed.name];
    const diff = diffWorkflows(before, after);
    expect(diff.nodesAdded.map((n) => [n.name, n.type])).toEqual([["Notify Slack", "n8n-nodes-base.slack"], ["Check", "n8n-nodes-base.if"]]);
    expect(diff.nodesRemoved).toEqual([expect.objectContaining({ name: removed.name, trigger: true })]);
    expect(diff.connectionsAdded).toEqual([
      expect.objectContaining({ from: last.name, to: "Check", type: "main" }),
      expect.objectContaining({ from: "Check", to: "Notify Slack", label: "true" }),
    ]);
    expect(diff.connectionsRemoved).toEqual([expect.objectContaining({ from: removed.name, to: before.nodes[1]!.name })]);
  });

  it("AI sub-connections added and removed by their type", () => {
    const before = aiAgent();
    const after = copy(before);
    after.nodes.push({ id: "a7", name: "Calculator", type: "@n8n/n8n-nodes-langchain.toolCalculator", typeVersion: 1, position: [0, 0], parameters: {} });
    after.connections.Calculator = { ai_tool: [[{ node: "AI Agent", type: "ai_tool", index: 0 }]] };
    delete after.connections["Window Buffer Memory"];
    const diff = diffWorkflows(before, after);
    expect(diff.connectionsAdded).toEqual([{ from: "Calculator", to: "AI Agent", type: "ai_tool", output: 0, input: 0, label: "ai_tool" }]);
    expect(diff.connectionsRemoved).toEqual([{ from: "Window Buffer Memory", to: "AI Agent", type: "ai_memory", output: 0, input: 0, label: "ai_memory" }]);
  });

  it("credential, sub-workflow and data table references repointed, added, removed (not as parameters)", () => {
    const before = aiAgent();
    const after = copy(before);
    after.nodes[2]!.credentials = { openAiApi: { id: "cred2", name: "OpenAI staging" } };
    after.nodes[4]!.parameters.workflowId = { __rl: true, value: "wfChild000000002", mode: "list", cachedResultName: "Order lookup v2" };
    after.nodes[5]!.parameters.dataTableId = { __rl: true, value: "conversations_v2", mode: "name" };
    after.nodes[1]!.credentials = { anthropicApi: { id: "cred9", name: "Claude" } };
    delete after.nodes[2]!.credentials;
    after.nodes[2]!.credentials = { azureOpenAiApi: { id: "cred3", name: "Azure" } };
    const diff = diffWorkflows(before, after);
    expect(diff.referencesRepointed.map((r) => [r.after.kind, r.after.node, r.before.id, r.after.id, r.after.name])).toEqual([
      ["sub-workflow", "Look up order", "wfChild000000001", "wfChild000000002", "Order lookup v2"],
      ["data table", "Log conversation", "dt000001", null, "conversations_v2"],
    ]);
    expect(diff.referencesAdded.map((r) => [r.kind, r.node, r.slot, r.name])).toEqual([
      ["credential", "AI Agent", "anthropicApi", "Claude"],
      ["credential", "OpenAI Chat Model", "azureOpenAiApi", "Azure"],
    ]);
    expect(diff.referencesRemoved.map((r) => [r.kind, r.slot, r.name])).toEqual([["credential", "openAiApi", "OpenAI prod"]]);
    expect(diff.nodesChanged).toEqual([]);
    expect(diff.graph.nodes.filter((n) => n.status === "changed").map((n) => n.name)).toEqual(["AI Agent", "OpenAI Chat Model", "Look up order", "Log conversation"]);
  });

  it("a credential of the same type and name, a data table of the same name: the same reference in any environment (ids differ by design)", () => {
    const before = aiAgent();
    const after = copy(before);
    after.nodes[2]!.credentials = { openAiApi: { id: "credInProd", name: "OpenAI prod" } };
    after.nodes[5]!.parameters.dataTableId = { ...before.nodes[5]!.parameters.dataTableId, value: "dtInProd", cachedResultUrl: "/projects/p9/datatables/dtInProd" };
    const diff = diffWorkflows(before, after);
    expect(diff.referencesRepointed).toEqual([]);
    expect(diff.nodesChanged).toEqual([]);
    expect(diff.graph.nodes.filter((n) => n.status !== "same")).toEqual([]);
    expect(isEmptyDiff(diff)).toBe(true);

    // Another name is another credential / table, whatever the id.
    after.nodes[2]!.credentials = { openAiApi: { id: "cred1", name: "OpenAI staging" } };
    after.nodes[5]!.parameters.dataTableId = { ...before.nodes[5]!.parameters.dataTableId, cachedResultName: "conversations_v2" };
    expect(diffWorkflows(before, after).referencesRepointed.map((r) => [r.after.kind, r.before.name, r.after.name])).toEqual([
      ["credential", "OpenAI prod", "OpenAI staging"],
      ["data table", "conversations", "conversations_v2"],
    ]);
  });

  it("workflow renamed, archived, activated; settings with values", () => {
    const before = { ...generated(4), active: false, archived: false };
    const after = { ...copy(before), name: "New name", active: true, archived: true, settings: { ...before.settings, timezone: "UTC", errorWorkflow: "wfErr" } };
    const diff = diffWorkflows(before, after);
    expect(diff.renamed).toEqual({ from: before.name, to: "New name" });
    expect(diff.archived).toEqual({ before: false, after: true });
    expect(diff.active).toEqual({ before: false, after: true });
    expect(diff.settingsChanged).toEqual([
      { path: "timezone", before: "Europe/Berlin", after: "UTC" },
      { path: "errorWorkflow", after: "wfErr" },
    ]);
    // A migration file says nothing about active: no activation is claimed.
    expect(diffWorkflows(before, { ...after, active: undefined }).active).toBeUndefined();
  });

  it("a new workflow: every node, connection and reference added", () => {
    const after = aiAgent();
    const diff = diffWorkflows(undefined, after);
    expect(diff.nodesAdded).toHaveLength(6);
    expect(diff.connectionsAdded).toHaveLength(5);
    expect(diff.referencesAdded.map((r) => r.kind)).toEqual(["credential", "sub-workflow", "data table"]);
    expect(diff.renamed).toBeUndefined();
  });

  it("matches by name when a version has nodes without ids", () => {
    const before = generated(6);
    const after = copy(before);
    for (const node of before.nodes) delete node.id;
    after.nodes[1]!.typeVersion = 9;
    const diff = diffWorkflows(before, after);
    expect(diff.nodesAdded).toEqual([]);
    expect(diff.nodesChanged.map((n) => [n.name, n.changes.map((c) => c.path)])).toEqual([[after.nodes[1]!.name, ["typeVersion"]]]);
  });

  it("a 500-node workflow with one change: one node changed", () => {
    const before = big(500);
    expect(before.nodes).toHaveLength(500);
    const after = copy(before);
    after.nodes[250]!.parameters.marker = true;
    const diff = diffWorkflows(before, after);
    expect(diff.nodesChanged.map((n) => n.name)).toEqual([after.nodes[250]!.name]);
    expect(diff.graph.nodes).toHaveLength(500);
  });
});
