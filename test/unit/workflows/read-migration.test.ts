import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readMigrationWorkflow } from "../../../src/workflows/read-migration.ts";
import type { ExportedWorkflow } from "../../../src/n8n/workflow.ts";
import { makeWorkflow, renderCase } from "../../integration/workflows/helpers.ts";

const render = (wf: ExportedWorkflow) => renderCase(wf, "20260201000000_prod_sync_orders.sql");

describe("readMigrationWorkflow", () => {
  it("reads back what render.ts writes", () => {
    const wf = makeWorkflow({ settings: null, connections: { Start: { main: [[{ node: "B", type: "main", index: 0 }]] } } });
    expect(readMigrationWorkflow(render(wf))).toEqual({ name: wf.name, nodes: wf.nodes, connections: wf.connections, settings: null, archived: false, communityNodes: [] });
    expect(readMigrationWorkflow(render({ ...wf, isArchived: true }))?.archived).toBe(true);
  });

  it("reads back the community nodes recorded from the source's installed packages", () => {
    const nodes = [...makeWorkflow().nodes, { id: "n2", name: "Forecast", type: "n8n-nodes-weather.weather", typeVersion: 2, parameters: {} }];
    const nodeTypes = { n8nVersion: "2.41.1", communityTypes: new Map([["n8n-nodes-weather.weather", { package: "n8n-nodes-weather", version: "1.4.0" }]]) };
    const sql = render(makeWorkflow({ nodes, nodeTypes }));
    expect(readMigrationWorkflow(sql)?.communityNodes).toEqual([
      { nodeIndex: 1, node: "Forecast", type: "n8n-nodes-weather.weather", typeVersion: 2, package: "n8n-nodes-weather", version: "1.4.0" },
    ]);
    expect(sql).toContain(`in_n8n_version      constant text        := $n8n$"2.41.1"$n8n$::json #>> '{}';`);
  });

  it("round-trips hostile names and parameters ($ tags, quotes, newlines, lines that look like declarations)", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (name, text) => {
        const nodes = [{ id: "n1", name: `${name}$n8n$`, parameters: { text: `${text}\n  in_nodes constant json := $n8n$[]$n8n$;` } }];
        const wf = makeWorkflow({ name: name || "x", nodes });
        expect(readMigrationWorkflow(render(wf))).toEqual({ name: name || "x", nodes, connections: {}, settings: wf.settings, archived: false, communityNodes: [] });
      }),
      { numRuns: 50 },
    );
  });

  it("is undefined for other SQL", () => {
    expect(readMigrationWorkflow("CREATE TABLE x (id int);")).toBeUndefined();
  });
});
