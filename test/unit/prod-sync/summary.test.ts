import { describe, expect, it } from "vitest";
import { diffWorkflows } from "../../../src/diff/workflow-diff.ts";
import { renderSummary, type SummaryInput } from "../../../src/prod-sync/summary.ts";
import { parseMermaid } from "../../support/mermaid.ts";
import { big } from "../diff/workflows.ts";

const before = {
  name: "Orders",
  nodes: [
    { id: "1", name: "Webhook", parameters: { path: "orders" } },
    { id: "2", name: "Fetch", parameters: { url: "https://a.example" } },
  ],
  connections: { Webhook: { main: [[{ node: "Fetch", type: "main", index: 0 }]] } },
  settings: { executionOrder: "v1" },
};
const after = {
  ...before,
  nodes: [
    { id: "1", name: "Webhook", parameters: { path: "orders" } },
    { id: "2", name: "Fetch", parameters: { url: "https://b.example" } },
    { id: "3", name: "Notify", parameters: {} },
  ],
  connections: {
    Webhook: { main: [[{ node: "Fetch", type: "main", index: 0 }]] },
    Fetch: { main: [[{ node: "Notify", type: "main", index: 0 }]] },
  },
};

const input: SummaryInput = {
  envName: "production",
  selection: "changed in the last 7 days",
  generatedAt: "2026-11-26T05:00:00.000Z",
  workflows: [
    {
      workflowId: "wfA",
      name: "Orders",
      status: "written",
      file: "supabase/migrations/20261126050000_prod_sync_orders.sql",
      comparedWith: "20261120090000_orders.sql",
      diff: diffWorkflows(before, after),
      credentials: [{ type: "httpHeaderAuth", name: "Orders API" }],
      findings: [
        {
          workflowId: "wfA",
          workflowName: "Orders",
          node: "Fetch",
          path: "parameters.url",
          kind: "stripe-key",
          masked: "sk_l… (32 chars)",
          fingerprint: "00112233aabbccdd",
          allowedBy: "allowlist",
        },
      ],
      dev: { state: "local-edits", detail: "dev versionId v9 differs from last synced v1" },
    },
    {
      workflowId: "wfB",
      name: "Billing | *nightly*",
      status: "blocked-by-secrets",
      credentials: [],
      findings: [
        {
          workflowId: "wfB",
          workflowName: "Billing",
          node: "Code",
          path: "parameters.jsCode",
          kind: "github-token",
          masked: "ghp_… (40 chars)",
          fingerprint: "ffeeddccbbaa9988",
        },
      ],
      dev: { state: "not-checked", reason: "no --dev-env given" },
    },
    { workflowId: "wfC", name: "New one", status: "written", file: "m/2_prod_sync_new_one.sql", credentials: [], findings: [], dev: { state: "absent" } },
    { workflowId: "wfD", name: "Same", status: "already-exported", existingFile: "1_prod_sync_same.sql", credentials: [], findings: [], dev: { state: "clean" } },
  ],
};

describe("renderSummary", () => {
  const md = renderSummary(input);

  it("counts results", () => {
    expect(md).toContain("| exported | 2 |");
    expect(md).toContain("| blocked by secrets (no file) | 1 |");
    expect(md).toContain("| already exported (skipped) | 1 |");
    expect(md).toContain("| dev edited since last sync | 1 |");
  });

  it("lists what changed compared with the earlier migration", () => {
    expect(md).toContain("- Changes since `20261120090000_orders.sql`:");
    expect(md).toContain("  - **Nodes added (1)**\n    - 🟢 `Notify` (no type)");
    expect(md).toContain("      - 🟡 `parameters.url`: `\"https://a.example\"` → `\"https://b.example\"`");
    expect(md).toContain("  - **Connections added (1)**\n    - 🟢 `Fetch` → `Notify`");
    expect(md).not.toContain("Nodes removed");
    expect(md).toContain("- Changes: first migration of this workflow");
  });

  it("leaves the diagrams out (and says so) when they would push the PR body past GitHub's limit", () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ ...input.workflows[0]!, workflowId: `wf${i}`, diff: diffWorkflows(undefined, big(60, i + 1)) }));
    const long = renderSummary({ ...input, workflows: many });
    expect(long).not.toContain("```mermaid");
    expect(long).toContain("_Diagrams left out: with them this summary would pass 55,000 characters");
  });

  it("draws each workflow it has a diff for as a Mermaid diagram that Mermaid parses", async () => {
    const diagrams = [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(diagrams).toHaveLength(1);
    await parseMermaid(diagrams[0]!);
    expect(diagrams[0]).toMatch(/\["Notify<br\/><small>\?<\/small>"\]:::added/);
  });

  it("lists credentials, masked findings with their status, and the dev side", () => {
    expect(md).toContain("- Credentials (remapped by type + name on apply): `httpHeaderAuth` Orders API");
    expect(md).toContain("`Fetch` `parameters.url`: stripe-key, `sk_l… (32 chars)`, fingerprint `00112233aabbccdd` (allowed by allowlist)");
    expect(md).toContain("`Code` `parameters.jsCode`: github-token, `ghp_… (40 chars)`, fingerprint `ffeeddccbbaa9988` (**blocks this workflow**)");
    expect(md).toContain("- File: **not written**: secrets found");
    expect(md).toContain("**edited in dev since the last sync: conflict** (dev versionId v9 differs from last synced v1)");
    expect(md).toContain("- Dev side: not checked (no --dev-env given)");
    expect(md).toContain("- Dev side: not in dev yet: will be inserted");
    expect(md).toContain("### ⚠️ Orders (`wfA`)");
  });

  it("escapes Markdown in names and lists skipped workflows", () => {
    expect(md).toContain("### ⛔ Billing \\| \\*nightly\\* (`wfB`)");
    expect(md).toContain("- Same (`wfD`): this version is in `1_prod_sync_same.sql`");
  });

  it("counts every entry that says dev was edited, a workflow blocked by secrets too (the table never says 0 above one)", () => {
    const blockedEdited = { ...input.workflows[1]!, dev: { state: "local-edits" as const, detail: "dev versionId v3 differs from last synced v2" } };
    const text = renderSummary({ ...input, workflows: [input.workflows[0]!, blockedEdited, input.workflows[3]!] });
    const entries = text.match(/edited in dev since the last sync: conflict/g)?.length;
    expect(entries).toBe(2);
    expect(text).toContain(`| dev edited since last sync | ${entries} |`);
  });

  it("says when nothing matched", () => {
    expect(renderSummary({ ...input, workflows: [] })).toContain("No workflow matched the selection.");
  });
});
