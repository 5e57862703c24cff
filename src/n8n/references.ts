// What a workflow's nodes point at besides credentials: data tables (their ids differ between instances,
// so the file carries each table's name and apply remaps it), called workflows (ids are kept across
// environments, so apply only reports callees the target lacks or has not published) and $vars names
// (reported when the target does not define them). Pure: read.ts adds the source's names, render.ts
// writes the result into the file's data section, apply-workflow.sql resolves it in the target.
import { isObject } from "./workflow.ts";

export interface DataTableReference {
  /** position of the node in `nodes` (0-based) */
  nodeIndex: number;
  node: string;
  /** the parameter holding the resource locator (`parameters.<parameter>`) */
  parameter: string;
  /** the source's data table id */
  id: string;
  /** the source table's name (read.ts), else the locator's cached name, else "" */
  name: string;
}

export interface WorkflowCall {
  nodeIndex: number;
  node: string;
  /** the called workflow's id (kept in every environment) */
  id: string;
  /** the callee's name in the source (read.ts), else the locator's cached name, else "" */
  name: string;
}

export interface WorkflowReferences {
  dataTables: DataTableReference[];
  workflows: WorkflowCall[];
  /** nodes that pick their sub-workflow with an expression: cannot be checked before they run */
  expressionCalls: string[];
  /** every `$vars.NAME` the nodes use, sorted */
  variables: string[];
}

const DATA_TABLE_NODES = new Set(["n8n-nodes-base.dataTable", "n8n-nodes-base.dataTableTool"]);
/** nodes that call a workflow, with their `source` parameter ("database" unless set otherwise) */
const CALLER_NODES = new Set(["n8n-nodes-base.executeWorkflow", "@n8n/n8n-nodes-langchain.toolWorkflow"]);
/** modes in which a data table locator holds an id; mode `name` needs nothing */
const ID_MODES = new Set(["list", "id"]);

export function extractReferences(nodes: readonly unknown[]): WorkflowReferences {
  const refs: WorkflowReferences = { dataTables: [], workflows: [], expressionCalls: [], variables: [] };
  const variables = new Set<string>();
  nodes.forEach((node, nodeIndex) => {
    if (!isObject(node) || !isObject(node.parameters)) return;
    const name = typeof node.name === "string" ? node.name : `#${nodeIndex}`;
    const type = typeof node.type === "string" ? node.type : "";
    const parameters = node.parameters;
    for (const variable of variablesIn(parameters)) variables.add(variable);

    if (DATA_TABLE_NODES.has(type)) {
      const locator = parameters.dataTableId;
      if (isLocator(locator) && ID_MODES.has(String(locator.mode)) && isLiteralId(locator.value)) {
        refs.dataTables.push({ nodeIndex, node: name, parameter: "dataTableId", id: locator.value, name: cachedName(locator) });
      }
    }

    const fromDatabase = !CALLER_NODES.has(type) || (parameters.source ?? "database") === "database";
    const callee = parameters.workflowId;
    if (!fromDatabase || callee === undefined) return;
    // A workflow locator on any node; a plain string only on the caller nodes (executeWorkflow v1).
    const value = isLocator(callee) ? callee.value : CALLER_NODES.has(type) ? callee : undefined;
    if (typeof value !== "string" || value === "") return;
    if (value.startsWith("=")) refs.expressionCalls.push(name);
    else refs.workflows.push({ nodeIndex, node: name, id: value, name: isLocator(callee) ? cachedName(callee) : "" });
  });
  refs.variables = [...variables].sort();
  return refs;
}

/** `$vars.NAME`, `$vars["NAME"]` and `$vars['NAME']` anywhere in the parameters' strings. */
function variablesIn(value: unknown, found: string[] = []): string[] {
  if (typeof value === "string") {
    for (const match of value.matchAll(/\$vars(?:\.([A-Za-z_$][\w$]*)|\[\s*(["'])([^"'\]]+)\2\s*\])/g)) found.push(match[1] ?? match[3]!);
  } else if (Array.isArray(value)) {
    for (const item of value) variablesIn(item, found);
  } else if (isObject(value)) {
    for (const item of Object.values(value)) variablesIn(item, found);
  }
  return found;
}

function isLocator(value: unknown): value is Record<string, unknown> {
  return isObject(value) && value.__rl === true;
}

function isLiteralId(value: unknown): value is string {
  return typeof value === "string" && value !== "" && !value.startsWith("=");
}

function cachedName(locator: Record<string, unknown>): string {
  return typeof locator.cachedResultName === "string" ? locator.cachedResultName : "";
}
