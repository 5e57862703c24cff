// A workflow version as a graph a reviewer thinks in: nodes with a stable identity (n8n keeps a node's id
// across renames, so ids when every node of both versions has one, else names) and connections as edges
// between those identities, so renaming a node moves no edge. Pure.
import type { MigrationWorkflow } from "../workflows/read-migration.ts";
import { isObject } from "../n8n/workflow.ts";

/**
 * The plain workflow data the differ compares: what a migration file or a database row carries. Nodes
 * that are not nodes (no name) are ignored; active is undefined when the source does not say (a migration
 * file carries no active flag: the target keeps its own).
 */
export type WorkflowVersion = Pick<MigrationWorkflow, "name" | "nodes" | "connections" | "settings" | "communityNodes"> & {
  active?: boolean | undefined;
  archived?: boolean | undefined;
};

export interface GraphNode {
  /** identity across the two versions compared: `id:<id>` or `name:<name>` */
  key: string;
  name: string;
  type: string;
  trigger: boolean;
  data: Readonly<Record<string, unknown>>;
}

export interface GraphEdge {
  /** node keys */
  from: string;
  to: string;
  /** n8n's connection type: main, ai_tool, ai_languageModel, ... */
  type: string;
  /** the source node's output index and the target's input index */
  output: number;
  input: number;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** Nodes whose type name does not say "trigger" but that start a workflow. */
const OTHER_TRIGGERS = new Set(["n8n-nodes-base.webhook", "n8n-nodes-base.cron", "n8n-nodes-base.interval", "n8n-nodes-base.start"]);

export function isTrigger(type: string): boolean {
  return /trigger$/i.test(type) || OTHER_TRIGGERS.has(type);
}

/** Whether nodes are matched by id: only when every node of both versions has one. */
export function matchById(...versions: ReadonlyArray<WorkflowVersion | undefined>): boolean {
  return versions.every((version) => nodeRecords(version).every((node) => typeof node.id === "string" && node.id !== ""));
}

export function readGraph(version: WorkflowVersion | undefined, byId: boolean): Graph {
  const records = nodeRecords(version);
  const keyOfName = new Map<string, string>();
  const nodes = records.map((data): GraphNode => {
    const name = data.name as string;
    const key = byId ? `id:${String(data.id)}` : `name:${name}`;
    keyOfName.set(name, key);
    const type = typeof data.type === "string" ? data.type : "";
    return { key, name, type, trigger: isTrigger(type), data };
  });
  const keyOf = (name: string) => keyOfName.get(name) ?? `name:${name}`;
  return { nodes, edges: connectionEdges(version?.connections).map((e) => ({ ...e, from: keyOf(e.from), to: keyOf(e.to) })) };
}

export function edgeKey(edge: GraphEdge): string {
  return [edge.from, edge.type, edge.output, edge.to, edge.input].join("\u0000");
}

/**
 * What an output is called in n8n's editor: IF true/false, Filter kept/discarded, Loop done/loop, a
 * Switch rule's output name, the error output; an AI sub-connection by its type. undefined for a node's
 * only output.
 */
export function outputLabel(node: GraphNode | undefined, type: string, output: number): string | undefined {
  if (type !== "main") return type;
  const parameters = isObject(node?.data.parameters) ? node.data.parameters : {};
  const named = NAMED_OUTPUTS[node?.type ?? ""];
  const regular = named?.length ?? switchOutputs(node, parameters)?.length ?? 1;
  if (node?.data.onError === "continueErrorOutput" && output === regular) return "error";
  if (named) return named[output] ?? `output ${output}`;
  const rules = switchOutputs(node, parameters);
  if (rules) return rules[output] ?? `output ${output}`;
  return output === 0 ? undefined : `output ${output}`;
}

const NAMED_OUTPUTS: Record<string, readonly string[]> = {
  "n8n-nodes-base.if": ["true", "false"],
  "n8n-nodes-base.filter": ["kept", "discarded"],
  "n8n-nodes-base.splitInBatches": ["done", "loop"],
};

/** A Switch node's outputs: each rule's output name, else its number. */
function switchOutputs(node: GraphNode | undefined, parameters: Record<string, unknown>): string[] | undefined {
  if (node?.type !== "n8n-nodes-base.switch") return undefined;
  const rules = isObject(parameters.rules) && Array.isArray(parameters.rules.values) ? parameters.rules.values : [];
  return rules.map((rule, i) => (isObject(rule) && typeof rule.outputKey === "string" && rule.outputKey !== "" ? rule.outputKey : String(i)));
}

function nodeRecords(version: WorkflowVersion | undefined): Array<Record<string, unknown>> {
  return (version?.nodes ?? []).filter((node): node is Record<string, unknown> => isObject(node) && typeof node.name === "string");
}

/** n8n's connections: { source: { type: [ outputIndex -> [ {node, type, index} ] ] } }, by node name. */
function connectionEdges(connections: unknown): GraphEdge[] {
  const out: GraphEdge[] = [];
  if (!isObject(connections)) return out;
  for (const [source, byType] of Object.entries(connections)) {
    if (!isObject(byType)) continue;
    for (const [type, outputs] of Object.entries(byType)) {
      if (!Array.isArray(outputs)) continue;
      outputs.forEach((targets, output) => {
        if (!Array.isArray(targets)) return;
        for (const target of targets) {
          if (!isObject(target) || typeof target.node !== "string") continue;
          out.push({ from: source, to: target.node, type, output, input: typeof target.index === "number" ? target.index : 0 });
        }
      });
    }
  }
  return out;
}

