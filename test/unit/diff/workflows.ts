// Real-shaped workflows for the diff tests: the bench generator's (triggers, Code, HTTP, IF, Set with the
// parameters people write), an AI agent with its sub-nodes (ai_languageModel, ai_memory, ai_tool), a
// sub-workflow call and a data table, a 500-node one stitched from generated workflows, and hostile names.
import { generateWorkflows } from "../../../bench/generate.ts";
import type { WorkflowVersion } from "../../../src/diff/graph.ts";

type Node = Record<string, any>;
export interface TestWorkflow extends Omit<WorkflowVersion, "nodes" | "connections" | "settings"> {
  nodes: Node[];
  connections: Record<string, any>;
  settings: Record<string, any>;
}

export function generated(seed: number): TestWorkflow {
  const [wf] = generateWorkflows(1, { seed });
  return { name: wf!.name, nodes: wf!.nodes as Node[], connections: wf!.connections, settings: wf!.settings };
}

export function copy<T>(value: T): T {
  return structuredClone(value);
}

/** A chat agent as n8n's editor builds it: sub-nodes connect into the agent through ai_* connections. */
export function aiAgent(): TestWorkflow {
  const node = (id: string, name: string, type: string, position: [number, number], parameters: Node = {}, extra: Node = {}) => ({
    parameters,
    id,
    name,
    type,
    typeVersion: 1,
    position,
    ...extra,
  });
  return {
    name: "Support agent",
    nodes: [
      node("a1", "When chat message received", "@n8n/n8n-nodes-langchain.chatTrigger", [0, 0], { options: {} }, { webhookId: "5b8c" }),
      node("a2", "AI Agent", "@n8n/n8n-nodes-langchain.agent", [220, 0], { options: { systemMessage: "You are a support agent.\nBe brief." } }),
      node("a3", "OpenAI Chat Model", "@n8n/n8n-nodes-langchain.lmChatOpenAi", [120, 200], { model: "gpt-4o-mini", options: {} }, {
        credentials: { openAiApi: { id: "cred1", name: "OpenAI prod" } },
      }),
      node("a4", "Window Buffer Memory", "@n8n/n8n-nodes-langchain.memoryBufferWindow", [260, 200], { contextWindowLength: 5 }),
      node("a5", "Look up order", "@n8n/n8n-nodes-langchain.toolWorkflow", [400, 200], {
        name: "lookup_order",
        workflowId: { __rl: true, value: "wfChild000000001", mode: "list", cachedResultName: "Order lookup" },
      }),
      node("a6", "Log conversation", "n8n-nodes-base.dataTable", [440, 0], {
        operation: "insert",
        dataTableId: { __rl: true, value: "dt000001", mode: "list", cachedResultName: "conversations", cachedResultUrl: "/projects/p1/datatables/dt000001" },
      }),
    ],
    connections: {
      "When chat message received": { main: [[{ node: "AI Agent", type: "main", index: 0 }]] },
      "OpenAI Chat Model": { ai_languageModel: [[{ node: "AI Agent", type: "ai_languageModel", index: 0 }]] },
      "Window Buffer Memory": { ai_memory: [[{ node: "AI Agent", type: "ai_memory", index: 0 }]] },
      "Look up order": { ai_tool: [[{ node: "AI Agent", type: "ai_tool", index: 0 }]] },
      "AI Agent": { main: [[{ node: "Log conversation", type: "main", index: 0 }]] },
    },
    settings: { executionOrder: "v1" },
  };
}

/** One workflow of about `size` nodes: generated workflows chained one after the other, names made unique. */
export function big(size: number, seed = 7): TestWorkflow {
  const nodes: Node[] = [];
  const connections: Record<string, any> = {};
  let previousLast: string | undefined;
  for (const [index, wf] of generateWorkflows(Math.ceil(size / 5), { seed }).entries()) {
    if (nodes.length >= size) break;
    const rename = (name: string) => (index === 0 ? name : `${name} (${index})`);
    const parts = (wf.nodes as Node[]).slice(index === 0 ? 0 : 1).slice(0, size - nodes.length);
    const names = new Set(parts.map((n) => n.name));
    for (const n of parts) nodes.push({ ...n, name: rename(n.name), position: [nodes.length * 220, 0] });
    for (const [from, byType] of Object.entries(wf.connections)) {
      if (!names.has(from)) continue;
      const main = byType.main.map((targets) => targets.filter((t) => names.has(t.node)).map((t) => ({ ...t, node: rename(t.node) })));
      connections[rename(from)] = { main };
    }
    const first = parts[0]?.name;
    if (previousLast && first) connections[previousLast] = { main: [[{ node: rename(first), type: "main", index: 0 }]] };
    previousLast = parts.length > 0 ? rename(parts.at(-1)!.name) : previousLast;
  }
  return { name: `Big ${size}`, nodes, connections, settings: { executionOrder: "v1" } };
}

/** Names that are syntax somewhere: Mermaid, Markdown, HTML, shells. */
export const HOSTILE_NAMES = [
  'Say "hi"',
  "it's [a] (test) {x}",
  "A --> B",
  "C#; end",
  "`code` & <b>bold</b>",
  "line1\nline2",
  "emoji 🚀🔥 ok",
  "end",
  "graph TD",
  "|pipe| ::: class",
  "%% comment",
  "click n0 call x()",
  "#quot; raw entity",
  "style n0 fill:#f00",
  "\\ back\\slash",
];

/** Two nodes per hostile name, chained, and an IF whose branches carry labels. */
export function hostile(): TestWorkflow {
  const nodes: Node[] = [{ id: "h0", name: "Webhook", type: "n8n-nodes-base.webhook", typeVersion: 2, position: [0, 0], parameters: { path: "x" } }];
  HOSTILE_NAMES.forEach((name, i) => nodes.push({ id: `h${i + 1}`, name, type: `n8n-nodes-base.${i % 2 ? "if" : "set"}`, typeVersion: 1, position: [i * 200, 0], parameters: {} }));
  const connections: Record<string, any> = {};
  for (let i = 0; i + 1 < nodes.length; i++) {
    const to = [{ node: nodes[i + 1]!.name, type: "main", index: 0 }];
    connections[nodes[i]!.name] = { main: nodes[i]!.type === "n8n-nodes-base.if" ? [to, [{ node: "Webhook", type: "main", index: 0 }]] : [to] };
  }
  return { name: 'Hostile "workflow" --> `x`', nodes, connections, settings: {} };
}

/** A trigger and n - 1 steps one after the other: the shape a 13-node "long chain" review has. */
export function chain(n: number): TestWorkflow {
  const names = Array.from({ length: n }, (_, i) => (i === 0 ? "When orders arrive" : `Step ${i}: enrich the order record`));
  return {
    name: `Chain of ${n}`,
    nodes: names.map((name, i) => ({
      id: `ch${i}`,
      name,
      type: i === 0 ? "n8n-nodes-base.webhook" : "n8n-nodes-base.set",
      typeVersion: 1,
      position: [i * 220, 0],
      parameters: {},
    })),
    connections: Object.fromEntries(names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: "main", index: 0 }]] }])),
    settings: {},
  };
}
