import { describe, expect, it } from "vitest";
import { extractReferences } from "../../../src/n8n/references.ts";

const node = (name: string, type: string, parameters: unknown) => ({ name, type, parameters });

describe("extractReferences", () => {
  it("finds data table locators in modes list and id, not name, and never expressions", () => {
    const refs = extractReferences([
      node("List", "n8n-nodes-base.dataTable", { dataTableId: { __rl: true, mode: "list", value: "t1", cachedResultName: "alerts" } }),
      node("Id", "n8n-nodes-base.dataTableTool", { dataTableId: { __rl: true, mode: "id", value: "t2" } }),
      node("Name", "n8n-nodes-base.dataTable", { dataTableId: { __rl: true, mode: "name", value: "alerts" } }),
      node("Expr", "n8n-nodes-base.dataTable", { dataTableId: { __rl: true, mode: "id", value: "={{ $json.table }}" } }),
      node("Other", "n8n-nodes-base.set", { dataTableId: { __rl: true, mode: "id", value: "t3" } }),
    ]);
    expect(refs.dataTables).toEqual([
      { nodeIndex: 0, node: "List", parameter: "dataTableId", id: "t1", name: "alerts" },
      { nodeIndex: 1, node: "Id", parameter: "dataTableId", id: "t2", name: "" },
    ]);
  });

  it("finds called workflows: v1 strings, locators on any node, only from the database; expressions apart", () => {
    const refs = extractReferences([
      node("v1", "n8n-nodes-base.executeWorkflow", { workflowId: "w1" }),
      node("v1.2", "n8n-nodes-base.executeWorkflow", { source: "database", workflowId: { __rl: true, mode: "list", value: "w2", cachedResultName: "Child" } }),
      node("Tool", "@n8n/n8n-nodes-langchain.toolWorkflow", { workflowId: { __rl: true, mode: "id", value: "w3" } }),
      node("Some node", "n8n-nodes-base.somethingElse", { workflowId: { __rl: true, mode: "id", value: "w4" } }),
      node("String elsewhere", "n8n-nodes-base.somethingElse", { workflowId: "not-a-locator" }),
      node("From JSON", "n8n-nodes-base.executeWorkflow", { source: "parameter", workflowJson: "{}", workflowId: "w5" }),
      node("Dynamic", "n8n-nodes-base.executeWorkflow", { workflowId: { __rl: true, mode: "id", value: "={{ $json.id }}" } }),
      node("Empty", "n8n-nodes-base.executeWorkflow", { workflowId: "" }),
    ]);
    expect(refs.workflows).toEqual([
      { nodeIndex: 0, node: "v1", id: "w1", name: "" },
      { nodeIndex: 1, node: "v1.2", id: "w2", name: "Child" },
      { nodeIndex: 2, node: "Tool", id: "w3", name: "" },
      { nodeIndex: 3, node: "Some node", id: "w4", name: "" },
    ]);
    expect(refs.expressionCalls).toEqual(["Dynamic"]);
  });

  it("collects $vars names in every notation, once each, sorted", () => {
    const refs = extractReferences([
      node("A", "n8n-nodes-base.set", { a: "={{ $vars.B_URL }}/{{ $vars['A_KEY'] }}", list: [{ deep: '={{ $vars["C"] + $vars.B_URL }}' }] }),
      node("B", "n8n-nodes-base.code", { jsCode: "return [{ json: { x: $vars.D } }]; // $variables.not" }),
    ]);
    expect(refs.variables).toEqual(["A_KEY", "B_URL", "C", "D"]);
  });
});
