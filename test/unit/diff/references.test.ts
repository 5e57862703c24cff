import { describe, expect, it } from "vitest";
import { readGraph } from "../../../src/diff/graph.ts";
import { nodeReferences } from "../../../src/diff/references.ts";

const refs = (node: Record<string, unknown>) => readGraph({ name: "w", nodes: [{ id: "n1", name: "N", ...node }], connections: {}, settings: {} }, true).nodes.flatMap(nodeReferences);

describe("nodeReferences", () => {
  it("Execute Workflow v1 (string id) and v1.1+ (resource locator); not when the workflow comes from a parameter or file", () => {
    expect(refs({ type: "n8n-nodes-base.executeWorkflow", parameters: { workflowId: "wf123" } })).toEqual([
      { kind: "sub-workflow", nodeKey: "id:n1", node: "N", slot: "workflowId", id: "wf123", name: null },
    ]);
    expect(refs({ type: "n8n-nodes-base.executeWorkflow", parameters: { source: "database", workflowId: { __rl: true, value: "wf9", mode: "list", cachedResultName: "Child" } } })).toMatchObject([
      { kind: "sub-workflow", id: "wf9", name: "Child" },
    ]);
    expect(refs({ type: "n8n-nodes-base.executeWorkflow", parameters: { source: "parameter", workflowJson: "{}" } })).toEqual([]);
    expect(refs({ type: "n8n-nodes-base.executeWorkflow", parameters: { source: "localFile", workflowId: "x" } })).toEqual([]);
  });

  it("data tables by id or by name; credentials by type", () => {
    expect(refs({ type: "n8n-nodes-base.dataTable", parameters: { dataTableId: { __rl: true, value: "orders", mode: "name" } } })).toMatchObject([{ kind: "data table", id: null, name: "orders" }]);
    expect(refs({ type: "n8n-nodes-base.dataTable", parameters: { dataTableId: { __rl: true, value: "", mode: "list" } } })).toEqual([]);
    expect(refs({ type: "n8n-nodes-base.slack", credentials: { slackApi: { id: "c1", name: "Bot" }, bad: "x" } })).toMatchObject([{ kind: "credential", slot: "slackApi", id: "c1", name: "Bot" }]);
  });
});
