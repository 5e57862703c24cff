// What a new version of a workflow changes, in a reviewer's terms: renamed / archived / activated; nodes
// added, removed, renamed and changed (each changed parameter path with its old and new value, code as a
// line diff); connections added and removed (AI sub-connections too); settings; credential, sub-workflow
// and data table references added, removed or repointed. Layout (positions, sticky-note sizes) is
// counted, not listed; key order and node order are no change. Also the picture's data: every node and
// edge of both versions with its status. Pure: plain workflow data in, plain data out.
import { isDeepStrictEqual } from "node:util";
import { appendIndex, appendKey } from "../workflows/json-path.ts";
import { isObject } from "../n8n/workflow.ts";
import { edgeKey, matchById, outputLabel, readGraph, type GraphEdge, type GraphNode, type WorkflowVersion } from "./graph.ts";
import { lineDiff, type DiffLine } from "./line-diff.ts";
import { nodeReferences, REFERENCE_PATHS, type Reference } from "./references.ts";
import { communityPackageChanges, type PackageChange } from "./packages.ts";

export interface NodeInfo {
  key: string;
  name: string;
  type: string;
  trigger: boolean;
}

export interface ValueChange {
  /** e.g. parameters.options.timeout, settings' timezone */
  path: string;
  /** absent: the path did not exist before (added) / after (removed) */
  before?: unknown;
  after?: unknown;
  /** for text with more than one line (code, SQL): the line diff */
  lines?: DiffLine[];
}

export interface NodeChange extends NodeInfo {
  /** the name before, when renamed */
  previousName?: string;
  /** parameter and field changes, layout and references left out */
  changes: ValueChange[];
}

export interface Connection {
  /** node names (in the new version; removed edges: in the old one) */
  from: string;
  to: string;
  type: string;
  output: number;
  input: number;
  /** the output's name in n8n's editor (IF true/false, ai_tool, ...), when it has one */
  label?: string;
}

export type NodeStatus = "added" | "changed" | "removed" | "same";

export interface DiffGraph {
  /** the new version's nodes in its order, then the removed ones */
  nodes: Array<NodeInfo & { status: NodeStatus }>;
  edges: Array<GraphEdge & { label?: string; status: "added" | "removed" | "same" }>;
}

export interface WorkflowDiff {
  renamed?: { from: string; to: string };
  archived?: { before: boolean; after: boolean };
  active?: { before: boolean; after: boolean };
  nodesAdded: NodeInfo[];
  nodesRemoved: NodeInfo[];
  nodesChanged: NodeChange[];
  connectionsAdded: Connection[];
  connectionsRemoved: Connection[];
  settingsChanged: ValueChange[];
  referencesAdded: Reference[];
  referencesRemoved: Reference[];
  referencesRepointed: Array<{ before: Reference; after: Reference }>;
  /** community packages the new version needs that the earlier one did not, or at another version */
  packagesAdded: PackageChange[];
  /** nodes moved or (sticky notes) resized: counted, not listed */
  layoutChanges: number;
  graph: DiffGraph;
}

/** Paths inside a node that are its layout, not its behaviour. */
const LAYOUT_PATHS = ["position"];
const STICKY_LAYOUT_PATHS = ["parameters.width", "parameters.height"];
/** Paths reported elsewhere: identity (id), rename (name), references. */
const NOT_PARAMETERS = ["id", "name", ...REFERENCE_PATHS];

/** `before` undefined: the workflow is new (everything is added). */
export function diffWorkflows(before: WorkflowVersion | undefined, after: WorkflowVersion): WorkflowDiff {
  const byId = matchById(before, after);
  const old = readGraph(before, byId);
  const now = readGraph(after, byId);
  const oldByKey = new Map(old.nodes.map((node) => [node.key, node]));
  const nowByKey = new Map(now.nodes.map((node) => [node.key, node]));

  const nodesChanged: NodeChange[] = [];
  let layoutChanges = 0;
  for (const node of now.nodes) {
    const previous = oldByKey.get(node.key);
    if (!previous) continue;
    const layout = node.type === "n8n-nodes-base.stickyNote" ? [...LAYOUT_PATHS, ...STICKY_LAYOUT_PATHS] : LAYOUT_PATHS;
    if (layout.some((p) => !isDeepStrictEqual(at(previous.data, p), at(node.data, p)))) layoutChanges++;
    const changes = changedValues(previous.data, node.data, "", [...layout, ...NOT_PARAMETERS]);
    if (changes.length > 0 || previous.name !== node.name) {
      nodesChanged.push({ ...info(node), ...(previous.name !== node.name ? { previousName: previous.name } : {}), changes });
    }
  }
  const references = diffReferences(old.nodes.flatMap(nodeReferences), now.nodes.flatMap(nodeReferences));

  const oldEdges = new Map(old.edges.map((edge) => [edgeKey(edge), edge]));
  const nowEdges = new Map(now.edges.map((edge) => [edgeKey(edge), edge]));
  const connection = (edge: GraphEdge, nodes: Map<string, GraphNode>): Connection => {
    const label = outputLabel(nodes.get(edge.from), edge.type, edge.output);
    const name = (key: string) => nodes.get(key)?.name ?? key.replace(/^(id|name):/, "");
    return { ...edge, from: name(edge.from), to: name(edge.to), ...(label ? { label } : {}) };
  };
  const edgesAdded = now.edges.filter((edge) => !oldEdges.has(edgeKey(edge)));
  const edgesRemoved = old.edges.filter((edge) => !nowEdges.has(edgeKey(edge)));

  const changedKeys = new Set([...nodesChanged.map((n) => n.key), ...references.changedNodes]);
  const status = (node: GraphNode): NodeStatus => (!oldByKey.has(node.key) ? "added" : changedKeys.has(node.key) ? "changed" : "same");
  const removedNodes = old.nodes.filter((node) => !nowByKey.has(node.key));
  const addedEdgeKeys = new Set(edgesAdded.map(edgeKey));
  const graphEdge = (edge: GraphEdge, nodes: Map<string, GraphNode>, edgeStatus: "added" | "removed" | "same") => {
    const label = outputLabel(nodes.get(edge.from), edge.type, edge.output);
    return { ...edge, ...(label ? { label } : {}), status: edgeStatus };
  };

  return {
    ...(before && before.name !== after.name ? { renamed: { from: before.name, to: after.name } } : {}),
    ...flag("archived", before?.archived, after.archived),
    ...flag("active", before?.active, after.active),
    nodesAdded: now.nodes.filter((node) => !oldByKey.has(node.key)).map(info),
    nodesRemoved: removedNodes.map(info),
    nodesChanged,
    connectionsAdded: edgesAdded.map((edge) => connection(edge, nowByKey)),
    connectionsRemoved: edgesRemoved.map((edge) => connection(edge, oldByKey)),
    settingsChanged: changedValues(isObject(before?.settings) ? before.settings : {}, isObject(after.settings) ? after.settings : {}, "", []),
    referencesAdded: references.added,
    referencesRemoved: references.removed,
    referencesRepointed: references.repointed,
    packagesAdded: communityPackageChanges(before?.communityNodes, after.communityNodes),
    layoutChanges,
    graph: {
      nodes: [...now.nodes.map((node) => ({ ...info(node), status: status(node) })), ...removedNodes.map((node) => ({ ...info(node), status: "removed" as const }))],
      edges: [
        ...now.edges.map((edge) => graphEdge(edge, nowByKey, addedEdgeKeys.has(edgeKey(edge)) ? "added" : "same")),
        ...edgesRemoved.map((edge) => graphEdge(edge, oldByKey, "removed")),
      ],
    },
  };
}

/** No change a reviewer would read (layout changes may still be counted). */
export function isEmptyDiff(diff: WorkflowDiff): boolean {
  return (
    !diff.renamed &&
    !diff.archived &&
    !diff.active &&
    [
      diff.nodesAdded,
      diff.nodesRemoved,
      diff.nodesChanged,
      diff.connectionsAdded,
      diff.connectionsRemoved,
      diff.settingsChanged,
      diff.referencesAdded,
      diff.referencesRemoved,
      diff.referencesRepointed,
      diff.packagesAdded,
    ].every((list) => list.length === 0)
  );
}

function info(node: GraphNode): NodeInfo {
  return { key: node.key, name: node.name, type: node.type, trigger: node.trigger };
}

function flag<K extends "archived" | "active">(key: K, before: boolean | undefined, after: boolean | undefined) {
  return before !== undefined && after !== undefined && before !== after ? { [key]: { before, after } } : {};
}

/** Leaf values where two JSON values differ, skipping the given paths (and everything under them). */
function changedValues(before: unknown, after: unknown, prefix: string, skip: readonly string[]): ValueChange[] {
  if (skip.includes(prefix) || isDeepStrictEqual(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((key) => changedValues(before[key], after[key], appendKey(prefix, key), skip));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, i) => changedValues(before[i], after[i], appendIndex(prefix, i), skip)).flat();
  }
  const change: ValueChange = { path: prefix || "(whole value)" };
  if (before !== undefined) change.before = before;
  if (after !== undefined) change.after = after;
  if (typeof before === "string" && typeof after === "string" && (before.includes("\n") || after.includes("\n"))) change.lines = lineDiff(before, after);
  return [change];
}

function at(data: Readonly<Record<string, unknown>>, path: string): unknown {
  return path.split(".").reduce<unknown>((value, key) => (isObject(value) ? value[key] : undefined), data);
}

/**
 * The same target, as applying the file resolves it: a credential of the same type (its slot) and name,
 * a data table of the same name, is the same one in any environment (apply-workflow.sql remaps the id,
 * which differs per environment by design); a sub-workflow keeps its id.
 */
function sameTarget(before: Reference, after: Reference): boolean {
  if (before.id === after.id && before.name === after.name) return true;
  return (after.kind === "credential" || after.kind === "data table") && after.name !== null && before.name === after.name;
}

/** References match by node and slot; the same slot pointing at another target is repointed. */
function diffReferences(before: readonly Reference[], after: readonly Reference[]) {
  const slot = (ref: Reference) => `${ref.nodeKey}\u0000${ref.kind}\u0000${ref.slot}`;
  const oldBySlot = new Map(before.map((ref) => [slot(ref), ref]));
  const nowBySlot = new Map(after.map((ref) => [slot(ref), ref]));
  const added = after.filter((ref) => !oldBySlot.has(slot(ref)));
  const removed = before.filter((ref) => !nowBySlot.has(slot(ref)));
  const repointed = after.flatMap((ref) => {
    const previous = oldBySlot.get(slot(ref));
    return previous && !sameTarget(previous, ref) ? [{ before: previous, after: ref }] : [];
  });
  const changedNodes = [...added, ...repointed.map((r) => r.after)].map((ref) => ref.nodeKey);
  return { added, removed, repointed, changedNodes };
}
