// The plain data of one exported workflow: what a migration file carries. Read from the source by
// read.ts, rendered to SQL by src/workflows/render.ts. JSON columns keep the values n8n stored; timestamps are
// ISO 8601 UTC strings with milliseconds (n8n's timestamptz(3)), so the data is serialisable as is.
import type { NodeTypeSource } from "./node-types.ts";
import type { WorkflowReferences } from "./references.ts";

/** A credential a node references, as n8n keeps it in the node: `credentials: {<type>: {id, name}}`. */
export interface CredentialReference {
  /** position of the node in `nodes` (0-based) */
  nodeIndex: number;
  /** the node's name, for reports */
  node: string;
  /** credential type, e.g. "openAiApi" */
  type: string;
  /** the source's credential id (null when n8n stored none) */
  id: string | null;
  name: string;
}

export interface ExportedWorkflow {
  id: string;
  name: string;
  /** workflow_entity.versionId on the source (changes on every save) */
  versionId: string;
  createdAt: string;
  /** the source's real updatedAt: decides conflicts, never NOW() */
  updatedAt: string;
  /** the source's state, informational: a target keeps its own active flag */
  active: boolean;
  isArchived: boolean;
  description: string | null;
  nodes: unknown[];
  connections: unknown;
  settings: unknown;
  meta: unknown;
  /** n8n 2.x only: undefined when the source has no such column */
  nodeGroups?: unknown;
  /** only with --include-pin-data */
  pinData?: unknown;
  /** tag names, sorted */
  tags: string[];
  /** the credentials referenced by nodes (id, name, type: never their data) */
  credentials: CredentialReference[];
  /** the source's owner project: a new workflow goes to the target's team project of that name */
  ownerProject?: { id: string; name: string; type: string } | undefined;
  /** folder names from the owner project's root to the workflow's folder ([] at the root) */
  folderPath?: string[];
  /** data tables, called workflows and $vars the nodes use, named as the source names them */
  references?: WorkflowReferences;
  /** the source's n8n version and community node types (node-types.ts); absent: not recorded in the file */
  nodeTypes?: NodeTypeSource;
}

/** Where a workflow comes from, for the header: which n8n and which schema. */
export interface SourceDescription {
  /** n8n generation, 1 or 2 */
  generation: 1 | 2;
  schema: string;
}

export function describeSource(source: SourceDescription): string {
  return `${source.generation}.x (schema ${source.schema})`;
}

/** The credential references of n8n nodes: `node.credentials = {<type>: {id, name}}`. */
export function extractCredentialReferences(nodes: readonly unknown[]): CredentialReference[] {
  const refs: CredentialReference[] = [];
  nodes.forEach((node, nodeIndex) => {
    if (!isObject(node) || !isObject(node.credentials)) return;
    const nodeName = typeof node.name === "string" ? node.name : `#${nodeIndex}`;
    for (const [type, value] of Object.entries(node.credentials)) {
      if (!isObject(value)) continue;
      refs.push({
        nodeIndex,
        node: nodeName,
        type,
        id: typeof value.id === "string" ? value.id : null,
        name: typeof value.name === "string" ? value.name : "",
      });
    }
  });
  return refs;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
