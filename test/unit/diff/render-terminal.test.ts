import { describe, expect, it } from "vitest";
import type { DiffReport } from "../../../src/diff/render-markdown.ts";
import { renderDiffTerminal } from "../../../src/diff/render-terminal.ts";
import { diffWorkflows } from "../../../src/diff/workflow-diff.ts";
import { aiAgent, copy } from "./workflows.ts";

function agentReport(): DiffReport {
  const before = aiAgent();
  const after = copy(before);
  after.nodes[1]!.parameters.options.systemMessage = "You are a support agent.\nBe kind.";
  after.nodes.splice(3, 1);
  delete after.connections["Window Buffer Memory"];
  return { file: "supabase/migrations/2_agent.sql", workflowId: "wfA", name: "Support agent", against: { file: "1_agent.sql" }, diff: diffWorkflows(before, after) };
}

describe("renderDiffTerminal", () => {
  it("plain text off a terminal: signs, names, the code line diff", () => {
    const lines = renderDiffTerminal([agentReport()], { color: false });
    expect(lines).toEqual([
      "Support agent (wfA)  supabase/migrations/2_agent.sql  against 1_agent.sql",
      "  Nodes removed (1)",
      "    - Window Buffer Memory (@n8n/n8n-nodes-langchain.memoryBufferWindow)",
      "  Nodes changed (1)",
      "    ~ AI Agent (@n8n/n8n-nodes-langchain.agent)",
      "        ~ parameters.options.systemMessage:",
      "              You are a support agent.",
      "            - Be brief.",
      "            + Be kind.",
      "  Connections removed (1)",
      "    - Window Buffer Memory → AI Agent (ai_memory)",
      "",
    ]);
  });

  it("colours on a terminal: green added, red removed, yellow changed", () => {
    const text = renderDiffTerminal([agentReport()], { color: true }).join("\n");
    expect(text).toContain("\u001b[31m-\u001b[39m \u001b[1mWindow Buffer Memory\u001b[22m");
    expect(text).toContain("\u001b[33m~\u001b[39m");
    expect(text).toContain("\u001b[32m+ Be kind.\u001b[39m");
  });
});
