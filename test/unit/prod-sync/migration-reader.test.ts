import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readMigrationWorkflow } from "../../../src/prod-sync/migration-reader.ts";
import { renderWorkflowMigration } from "../../../src/workflows/render.ts";
import type { ExportedWorkflow } from "../../../src/workflows/workflow.ts";

function workflow(partial: Partial<ExportedWorkflow> = {}): ExportedWorkflow {
  return {
    id: "wf1",
    name: "Orders",
    versionId: "11111111-1111-1111-1111-111111111111",
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-02-01T00:00:00.000Z",
    active: false,
    isArchived: false,
    description: null,
    nodes: [{ id: "n1", name: "Start", type: "n8n-nodes-base.manualTrigger", parameters: {} }],
    connections: {},
    settings: { executionOrder: "v1" },
    meta: null,
    tags: [],
    credentials: [],
    ...partial,
  };
}

const render = (wf: ExportedWorkflow) =>
  renderWorkflowMigration(wf, { migration: "20260201000000_prod_sync_orders.sql", source: "prod", n8n: "2.x (schema public)", generatedBy: "test" });

describe("readMigrationWorkflow", () => {
  it("reads back what render.ts writes", () => {
    const wf = workflow({ settings: null, connections: { Start: { main: [[{ node: "B", type: "main", index: 0 }]] } } });
    expect(readMigrationWorkflow(render(wf))).toEqual({ name: wf.name, nodes: wf.nodes, connections: wf.connections, settings: null });
  });

  it("round-trips hostile names and parameters ($ tags, quotes, newlines, lines that look like declarations)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (name, text) => {
        const nodes = [{ id: "n1", name: `${name}$n8n$`, parameters: { text: `${text}\n  in_nodes constant json := $n8n$[]$n8n$;` } }];
        const wf = workflow({ name: name || "x", nodes });
        expect(readMigrationWorkflow(render(wf))).toEqual({ name: name || "x", nodes, connections: {}, settings: wf.settings });
      }),
      { numRuns: 50 },
    );
  });

  it("is undefined for other SQL", () => {
    expect(readMigrationWorkflow("CREATE TABLE x (id int);")).toBeUndefined();
  });
});
