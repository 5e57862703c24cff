import { describe, expect, it } from "vitest";
import { changedPaths, diffWorkflows, isEmptyDiff, type DiffableWorkflow } from "../../../src/prod-sync/diff.ts";

const base: DiffableWorkflow = {
  name: "Orders",
  nodes: [
    { id: "n1", name: "Webhook", type: "n8n-nodes-base.webhook", typeVersion: 2, position: [0, 0], parameters: { path: "orders", httpMethod: "POST" } },
    {
      id: "n2",
      name: "Fetch",
      type: "n8n-nodes-base.httpRequest",
      typeVersion: 4.2,
      position: [200, 0],
      parameters: { url: "https://a.example", options: { timeout: 1000 }, headers: [{ name: "A", value: "1" }] },
      credentials: { httpHeaderAuth: { id: "c1", name: "Orders API" } },
    },
    { id: "n3", name: "Old", type: "n8n-nodes-base.noOp", typeVersion: 1, position: [400, 0], parameters: {} },
  ],
  connections: {
    Webhook: { main: [[{ node: "Fetch", type: "main", index: 0 }]] },
    Fetch: { main: [[{ node: "Old", type: "main", index: 0 }]] },
  },
  settings: { executionOrder: "v1", timezone: "UTC" },
};

describe("diffWorkflows", () => {
  it("same workflow: empty diff", () => {
    const diff = diffWorkflows(base, structuredClone(base));
    expect(isEmptyDiff(diff)).toBe(true);
  });

  it("nodes added, removed, changed (with paths), renamed by id; connections; settings", () => {
    const after = structuredClone(base) as DiffableWorkflow & { nodes: any[] };
    after.name = "Orders v2";
    after.nodes[1].parameters.url = "https://b.example";
    after.nodes[1].parameters.options.timeout = 5000;
    after.nodes[1].parameters.headers.push({ name: "B", value: "2" });
    after.nodes[1].credentials = { httpHeaderAuth: { id: "c2", name: "Orders API 2" } };
    after.nodes[0].name = "Incoming";
    after.nodes.splice(2, 1);
    after.nodes.push({ id: "n4", name: "Slack", type: "n8n-nodes-base.slack", typeVersion: 2, position: [400, 0], parameters: {} });
    after.connections = {
      Incoming: { main: [[{ node: "Fetch", type: "main", index: 0 }]] },
      Fetch: { main: [[{ node: "Slack", type: "main", index: 0 }], [{ node: "Slack", type: "main", index: 0 }]] },
    };
    after.settings = { executionOrder: "v1", timezone: "Europe/Berlin", saveManualExecutions: true };

    expect(diffWorkflows(base, after)).toEqual({
      renamedFrom: "Orders",
      nodesAdded: ["Slack"],
      nodesRemoved: ["Old"],
      nodesChanged: [
        { name: "Incoming", previousName: "Webhook", paths: ["name"] },
        {
          name: "Fetch",
          paths: ["parameters.url", "parameters.options.timeout", "parameters.headers[1]", "credentials.httpHeaderAuth.id", "credentials.httpHeaderAuth.name"],
        },
      ],
      connectionsAdded: ["Incoming (main 0) -> Fetch (main 0)", "Fetch (main 0) -> Slack (main 0)", "Fetch (main 1) -> Slack (main 0)"],
      connectionsRemoved: ["Webhook (main 0) -> Fetch (main 0)", "Fetch (main 0) -> Old (main 0)"],
      settingsChanged: ["timezone", "saveManualExecutions"],
    });
  });

  it("matches nodes by name when a version has nodes without ids", () => {
    const before: DiffableWorkflow = { ...base, nodes: (base.nodes as Array<Record<string, unknown>>).map(({ id: _id, ...node }) => node) };
    const after = structuredClone(base) as DiffableWorkflow & { nodes: any[] };
    after.nodes[2].typeVersion = 2;
    const diff = diffWorkflows(before, after);
    expect(diff.nodesAdded).toEqual([]);
    expect(diff.nodesRemoved).toEqual([]);
    expect(diff.nodesChanged).toEqual([
      { name: "Webhook", paths: ["id"] },
      { name: "Fetch", paths: ["id"] },
      { name: "Old", paths: ["typeVersion", "id"] },
    ]);
  });
});

describe("changedPaths", () => {
  it("names keys that are not identifiers in brackets, and type changes at the path", () => {
    expect(changedPaths({ a: { "x-y": 1 } }, { a: { "x-y": 2 } }, "parameters")).toEqual(['parameters.a["x-y"]']);
    expect(changedPaths({ a: [1, 2] }, { a: "12" }, "")).toEqual(["a"]);
    expect(changedPaths(null, { a: 1 }, "")).toEqual(["(whole value)"]);
  });
});
