// What a node points at outside the workflow, read straight from its data: credentials
// (`node.credentials = {<type>: {id, name}}`), sub-workflows (`parameters.workflowId` of Execute Workflow,
// the workflow tool or any node, as a string id or a resource locator, unless `parameters.source` says
// the workflow is not in the database) and data tables (`parameters.dataTableId`, a resource locator).
// Pure.
import type { GraphNode } from "./graph.ts";
import { isObject } from "../n8n/workflow.ts";

export type ReferenceKind = "credential" | "sub-workflow" | "data table";

export interface Reference {
  kind: ReferenceKind;
  /** node key (graph.ts) and name in its version */
  nodeKey: string;
  node: string;
  /** where in the node: the credential type, or the parameter (workflowId, dataTableId) */
  slot: string;
  /** what it points at; an expression (={{ ... }}) stays as written */
  id: string | null;
  name: string | null;
}

export function nodeReferences(node: GraphNode): Reference[] {
  const refs: Reference[] = [];
  const at = (kind: ReferenceKind, slot: string, target: { id: string | null; name: string | null }) =>
    refs.push({ kind, nodeKey: node.key, node: node.name, slot, ...target });
  if (isObject(node.data.credentials)) {
    for (const [type, value] of Object.entries(node.data.credentials)) {
      if (!isObject(value)) continue;
      at("credential", type, { id: stringOrNull(value.id), name: stringOrNull(value.name) });
    }
  }
  const parameters = isObject(node.data.parameters) ? node.data.parameters : {};
  const source = parameters.source;
  if (parameters.workflowId !== undefined && (source === undefined || source === "database")) {
    const target = locator(parameters.workflowId);
    if (target) at("sub-workflow", "workflowId", target);
  }
  if (parameters.dataTableId !== undefined) {
    const target = locator(parameters.dataTableId);
    if (target) at("data table", "dataTableId", target);
  }
  return refs;
}

/** The parameter paths nodeReferences reads (the differ lists their changes as references). */
export const REFERENCE_PATHS = ["credentials", "parameters.workflowId", "parameters.dataTableId"];

/** A plain id, or n8n's resource locator {__rl, value, mode, cachedResultName}; mode `name` names the target. */
function locator(value: unknown): { id: string | null; name: string | null } | undefined {
  if (typeof value === "string" || typeof value === "number") return value === "" ? undefined : { id: String(value), name: null };
  if (!isObject(value)) return undefined;
  const raw = value.value;
  if (raw === undefined || raw === null || raw === "") return undefined;
  if (value.mode === "name") return { id: null, name: String(raw) };
  return { id: String(raw), name: stringOrNull(value.cachedResultName) };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
