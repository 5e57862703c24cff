import { describe, expect, it } from "vitest";
import { code, renderDiffMarkdown, text, type DiffReport } from "../../../src/diff/render-markdown.ts";
import { diffWorkflows } from "../../../src/diff/workflow-diff.ts";
import { parseMermaid } from "../../support/mermaid.ts";
import { aiAgent, big, copy, generated } from "./workflows.ts";

function report(name: string, before: ReturnType<typeof generated> | undefined, after: ReturnType<typeof generated>): DiffReport {
  return {
    file: `supabase/migrations/20260101000000_${name}.sql`,
    workflowId: `wf${name}`,
    name,
    against: before ? { file: "20251201000000_x.sql" } : { none: "no earlier migration of this workflow in the folder" },
    diff: diffWorkflows(before, after),
  };
}

describe("renderDiffMarkdown", () => {
  it("code parameters as diff blocks, long values elided with their size, references, layout counted", async () => {
    const before = aiAgent();
    const after = copy(before);
    after.nodes[1]!.parameters.options.systemMessage = "You are a support agent.\nBe brief.\nNever promise refunds.";
    after.nodes[1]!.parameters.text = "x".repeat(5000);
    after.nodes[2]!.credentials.openAiApi = { id: "cred2", name: "OpenAI staging" };
    after.nodes[0]!.position = [10, 10];
    const md = renderDiffMarkdown([report("agent", before, after)]);
    expect(md).toContain("    - 🟡 `parameters.options.systemMessage`:\n      ```diff\n       You are a support agent.\n       Be brief.\n      +Never promise refunds.\n      ```");
    expect(md).toContain(`    - 🟢 \`parameters.text\` = \`"${"x".repeat(78)}… (5,000 characters)\``);
    expect(md).toContain("  - 🟡 credential `openAiApi` on `OpenAI Chat Model` repointed: `OpenAI prod` (`cred1`) → `OpenAI staging` (`cred2`)");
    expect(md).toContain("- Layout only: 1 node moved or resized (not listed).");
    await parseMermaid(md.match(/```mermaid\n([\s\S]*?)```/)![1]!);
  });

  it("positions only: no change listed, the count said", () => {
    const before = generated(8);
    const after = copy(before);
    after.nodes.forEach((node, i) => (node.position = [i * 300, 100]));
    const md = renderDiffMarkdown([report("moved", before, after)]);
    expect(md).toContain(`- No change to the workflow, its nodes, connections, settings or references. Layout only: ${after.nodes.length} nodes moved or resized (not listed).`);
    expect(md).not.toContain("**Nodes");
  });

  it("fits GitHub's 65,536 characters: cuts diagrams, then details, then workflows, and says which", () => {
    const reports = Array.from({ length: 12 }, (_, i) => {
      const before = big(300, i + 1);
      const after = copy(before);
      for (let k = 1; k < after.nodes.length; k += 3) after.nodes[k]!.parameters.edited = `edit ${k}`;
      return report(`wf${i}`, before, after);
    });
    const full = renderDiffMarkdown(reports);
    expect(full.length).toBeGreaterThan(65_536);
    const cut = renderDiffMarkdown(reports, { maxChars: 65_000 });
    expect(cut.length).toBeLessThanOrEqual(65_000);
    expect(cut).toMatch(/\*\*Cut to fit 65,000 characters:\*\* left out the diagrams of wf\d+/);
    for (const r of reports) expect(cut).toContain(r.name);
    const tiny = renderDiffMarkdown(reports, { maxChars: 3_000 });
    expect(tiny.length).toBeLessThanOrEqual(3_000);
    expect(tiny).toMatch(/left out the diagrams of [^;]+; the details of [^;]+; .+ entirely\./);
  });

  it("no workflow migration: says so", () => {
    expect(renderDiffMarkdown([], { scope: "changed against origin/main" })).toBe("## n8n workflow changes\n\nNo workflow migration to compare (changed against origin/main).\n");
  });
});

describe("inline code and text", () => {
  it("fences backticks and flattens lines", () => {
    expect(code("a`b")).toBe("``a`b``");
    expect(code("`x")).toBe("`` `x ``");
    expect(code("a\nb")).toBe("`a b`");
    expect(text("<b>a|b</b>\nc")).toBe("\\<b\\>a\\|b\\</b\\> c");
  });
});
