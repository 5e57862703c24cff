import { describe, expect, it } from "vitest";
import { parseHeader } from "../../../src/workflows/header.ts";
import { dollarTag, renderWorkflowMigration, sqlString } from "../../../src/workflows/render.ts";
import type { ExportedWorkflow } from "../../../src/n8n/workflow.ts";

const workflow: ExportedWorkflow = {
  id: "abcDEF1234567890",
  name: "Bob's flow",
  versionId: "6b0c1e4e-2f5a-4f0e-9d1b-0a1b2c3d4e5f",
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-02-03T04:05:06.789Z",
  active: true,
  isArchived: false,
  description: null,
  nodes: [{ id: "1", name: "Start", parameters: { text: "a $n8n$ b" } }],
  connections: {},
  settings: { executionOrder: "v1" },
  meta: null,
  tags: ["b", "a"],
  credentials: [],
};
const options = { migration: "20250203040506_bob_s_flow.sql", source: "dev" as const, n8n: "2.x (schema public)", generatedBy: "n8n-sync 0.1.0" };

describe("renderWorkflowMigration", () => {
  it("is deterministic and starts with a parseable header", () => {
    const sql = renderWorkflowMigration(workflow, options);
    expect(renderWorkflowMigration(structuredClone(workflow), options)).toBe(sql);
    expect(parseHeader(sql)).toEqual({
      header: {
        migration: options.migration,
        source: "dev",
        workflowName: "Bob's flow",
        lastUpdated: "2025-02-03T04:05:06.789Z",
        workflowId: workflow.id,
        versionId: workflow.versionId,
        n8n: "2.x (schema public)",
        generatedBy: "n8n-sync 0.1.0",
      },
      problems: [],
    });
  });

  it("pretty-prints the JSON, quotes it with a tag absent from it, and is one statement", () => {
    const sql = renderWorkflowMigration(workflow, options);
    expect(sql).toContain(`$n8n_1$${JSON.stringify(workflow.nodes, null, 2)}$n8n_1$`);
    expect(sql).toContain(`in_tags             constant json        := $n8n_1$["a","b"]$n8n_1$;`);
    const body = sql.slice(sql.indexOf("DO $n8n_sync$"));
    expect(body.trimEnd().endsWith("$n8n_sync$;")).toBe(true);
    expect(body.split("$n8n_sync$")).toHaveLength(3);
  });

  it("leaves pinData and nodeGroups out unless the workflow carries them", () => {
    const without = renderWorkflowMigration(workflow, options);
    expect(without).toContain("in_carries_pin_data constant boolean     := false;");
    expect(without).toContain("in_node_groups      constant json        := NULL; -- the source has none (n8n 1.x)");
    const withBoth = renderWorkflowMigration({ ...workflow, pinData: { Start: [] }, nodeGroups: [] }, options);
    expect(withBoth).toContain("in_carries_pin_data constant boolean     := true;");
    expect(withBoth).toMatch(/in_pin_data\s+constant json\s+:= \$n8n_1\$\{\n {2}"Start": \[\]\n\}\$n8n_1\$;/);
  });

  it("rejects a workflow without a valid updatedAt rather than inventing one", () => {
    expect(() => renderWorkflowMigration({ ...workflow, updatedAt: "yesterday" }, options)).toThrow(/updatedAt "yesterday" is not a timestamp/);
  });
});

describe("dollarTag", () => {
  it("picks the first tag that no content contains or completes", () => {
    expect(dollarTag("n8n", ["plain", "$$"])).toBe("$n8n$");
    expect(dollarTag("n8n", ["has $n8n$ inside"])).toBe("$n8n_1$");
    expect(dollarTag("n8n", ["ends with $n8n"])).toBe("$n8n_1$");
    expect(dollarTag("n8n", ["$n8n$ and $n8n_1$"])).toBe("$n8n_2$");
  });
});

describe("sqlString", () => {
  it("doubles quotes only", () => {
    expect(sqlString("it's \\ fine")).toBe("'it''s \\ fine'");
  });
});

describe("credential references in the file", () => {
  it("lists every reference the nodes make, named as the workflow's credential list names them", () => {
    const nodes = [
      { name: "A", credentials: { slackApi: { id: "s1", name: "Old name" } } },
      { name: "B", credentials: { httpHeaderAuth: { id: "h1", name: "Header" } } },
    ];
    const sql = renderWorkflowMigration(
      { ...workflow, nodes, credentials: [{ nodeIndex: 0, node: "A", type: "slackApi", id: "s1", name: "Current name" }] },
      options,
    );
    const block = /in_credentials\s+constant json\s+:= \$n8n\$([\s\S]*?)\$n8n\$;/.exec(sql)![1]!;
    expect(JSON.parse(block)).toEqual([
      { nodeIndex: 0, node: "A", type: "slackApi", id: "s1", name: "Current name" },
      { nodeIndex: 1, node: "B", type: "httpHeaderAuth", id: "h1", name: "Header" },
    ]);
  });
});
