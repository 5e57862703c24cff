// What changed in a workflow between two versions, in the terms a reviewer reads a PR in: nodes added,
// removed and changed (with the changed paths, e.g. parameters.url), connections added and removed,
// settings paths changed. Pure.
import { isDeepStrictEqual } from "node:util";
import { appendIndex, appendKey } from "../workflows/json-path.ts";

export interface DiffNode {
  /** n8n keeps a node's id across renames; older workflows may lack it */
  id?: string;
  name: string;
  [field: string]: unknown;
}

export interface DiffableWorkflow {
  name: string;
  /** n8n's nodes; entries that are not nodes (no name) are ignored */
  nodes: readonly unknown[];
  connections: unknown;
  settings: unknown;
}

export interface NodeChange {
  /** the node's name in the newer version */
  name: string;
  /** its name before, when it was renamed */
  previousName?: string;
  /** changed paths inside the node, e.g. parameters.options.timeout, typeVersion, position */
  paths: string[];
}

export interface WorkflowDiff {
  /** the workflow name changed */
  renamedFrom?: string;
  nodesAdded: string[];
  nodesRemoved: string[];
  nodesChanged: NodeChange[];
  /** edges as "Source (main 0) -> Target (main 0)" */
  connectionsAdded: string[];
  connectionsRemoved: string[];
  settingsChanged: string[];
}

export function diffWorkflows(before: DiffableWorkflow, after: DiffableWorkflow): WorkflowDiff {
  const beforeNodes = nodesOf(before);
  const afterNodes = nodesOf(after);
  const beforeByKey = new Map<string, DiffNode>();
  for (const node of beforeNodes) beforeByKey.set(nodeKey(node, beforeNodes, afterNodes), node);
  const nodesAdded: string[] = [];
  const nodesChanged: NodeChange[] = [];
  const matched = new Set<DiffNode>();
  for (const node of afterNodes) {
    const previous = beforeByKey.get(nodeKey(node, afterNodes, beforeNodes));
    if (!previous) {
      nodesAdded.push(node.name);
      continue;
    }
    matched.add(previous);
    const paths = changedPaths(previous, node, "");
    if (paths.length > 0) {
      nodesChanged.push({ name: node.name, ...(previous.name !== node.name ? { previousName: previous.name } : {}), paths });
    }
  }
  const nodesRemoved = beforeNodes.filter((node) => !matched.has(node)).map((node) => node.name);
  const beforeEdges = new Set(edges(before.connections));
  const afterEdges = new Set(edges(after.connections));
  return {
    ...(before.name !== after.name ? { renamedFrom: before.name } : {}),
    nodesAdded,
    nodesRemoved,
    nodesChanged,
    connectionsAdded: [...afterEdges].filter((edge) => !beforeEdges.has(edge)),
    connectionsRemoved: [...beforeEdges].filter((edge) => !afterEdges.has(edge)),
    settingsChanged: changedPaths(before.settings ?? {}, after.settings ?? {}, ""),
  };
}

export function isEmptyDiff(diff: WorkflowDiff): boolean {
  return (
    diff.renamedFrom === undefined &&
    diff.nodesAdded.length === 0 &&
    diff.nodesRemoved.length === 0 &&
    diff.nodesChanged.length === 0 &&
    diff.connectionsAdded.length === 0 &&
    diff.connectionsRemoved.length === 0 &&
    diff.settingsChanged.length === 0
  );
}

function nodesOf(workflow: DiffableWorkflow): DiffNode[] {
  return workflow.nodes.filter((node): node is DiffNode => isRecord(node) && typeof node.name === "string");
}

/** Nodes match by id when both versions have ids for their nodes, else by name. */
function nodeKey(node: DiffNode, own: readonly DiffNode[], other: readonly DiffNode[]): string {
  const byId = typeof node.id === "string" && own.every((n) => typeof n.id === "string") && other.every((n) => typeof n.id === "string");
  return byId ? `id:${node.id}` : `name:${node.name}`;
}

/** Leaf paths where two JSON values differ ("" for the root itself). */
export function changedPaths(before: unknown, after: unknown, prefix: string): string[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => changedPaths(before[key], after[key], appendKey(prefix, key)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => changedPaths(before[i], after[i], appendIndex(prefix, i))).flat();
  }
  return [prefix || "(whole value)"];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * n8n's connections: { source: { type: [ outputIndex -> [ {node, type, index} ] ] } }, flattened to one
 * string per edge.
 */
function edges(connections: unknown): string[] {
  const out: string[] = [];
  if (!isRecord(connections)) return out;
  for (const [source, byType] of Object.entries(connections)) {
    if (!isRecord(byType)) continue;
    for (const [type, outputs] of Object.entries(byType)) {
      if (!Array.isArray(outputs)) continue;
      outputs.forEach((targets, output) => {
        if (!Array.isArray(targets)) return;
        for (const target of targets) {
          if (!isRecord(target)) continue;
          out.push(`${source} (${type} ${output}) -> ${String(target.node)} (${String(target.type ?? type)} ${String(target.index ?? 0)})`);
        }
      });
    }
  }
  return out;
}
