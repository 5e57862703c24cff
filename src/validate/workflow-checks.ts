// Pure: what a reviewer cannot see at a glance in a workflow migration: the header agrees with the
// body, the workflow JSON is complete (every connection points at a node), credentials appear only as
// {id, name} references, production files carry no pinData or staticData, and the secret scanner finds
// nothing that is not allowlisted.
import { classifyFileName } from "../migrations/files.ts";
import { isAllowed, type Allowlist } from "../secrets/allowlist.ts";
import { migrationConstant, readMigrationWorkflow } from "../workflows/read-migration.ts";
import { locateSecrets, maskValues, WORKFLOW_LEVEL } from "../secrets/scan.ts";
import { parseHeader, type WorkflowHeader } from "../workflows/header.ts";
import { PROD_SYNC_PREFIX } from "../workflows/naming.ts";
import { readDeclarations, type Declaration } from "./declarations.ts";
import { lineAt } from "./problem.ts";
import { isObject } from "../n8n/workflow.ts";

export interface LineProblem {
  line: number;
  message: string;
}

/** Problems of a workflow migration's text; `file` is its base name. */
export function workflowProblems(file: string, sql: string, allowlist: Allowlist): LineProblem[] {
  const parsed = parseHeader(sql);
  if (!parsed) return [];
  const problems: LineProblem[] = parsed.problems.map((message) => ({ line: headerLine(sql, message), message }));
  const { header } = parsed;
  const declarations = readDeclarations(sql);
  problems.push(...headerAgainstBody(file, sql, header, declarations));

  const workflow = readMigrationWorkflow(sql);
  if (!workflow) {
    const at = declarations.get("nodes") ?? declarations.get("name");
    problems.push({ line: at?.line ?? 1, message: "the workflow data (in_name, in_nodes, in_connections, in_settings) is missing or not valid JSON" });
    return problems;
  }
  const nodesLine = declarations.get("nodes")?.line ?? 1;
  const connectionsLine = declarations.get("connections")?.line ?? 1;
  if (header.workflowName !== undefined && header.workflowName !== workflow.name.replace(/[\r\n\u2028\u2029]+/g, " ")) {
    problems.push({ line: headerLine(sql, "Workflow"), message: `header Workflow "${header.workflowName}" differs from the workflow's name "${workflow.name}" in the body` });
  }
  problems.push(...nodeProblems(workflow.nodes).map((message) => ({ line: nodesLine, message })));
  problems.push(...connectionProblems(workflow.connections, workflow.nodes).map((message) => ({ line: connectionsLine, message })));

  if (header.source === "prod") {
    const carries = declarations.get("carries_pin_data");
    const pinData = declarations.get("pin_data");
    if (carries?.value === "true" || (pinData && pinData.value !== "NULL")) {
      problems.push({ line: (pinData ?? carries)!.line, message: "a prod file must not carry pinData (production's test data): export it again without it" });
    }
    const staticData = sql.indexOf('"staticData"');
    if (staticData !== -1) {
      problems.push({ line: lineAt(sql, staticData), message: "a prod file must not write staticData (production's run-time state)" });
    }
  }

  const id = header.workflowId ?? declarations.get("id")?.value ?? "";
  // Every text the file carries, as export-prod scans it before writing (a dev file may carry pinData).
  const carried = {
    description: migrationConstant(sql, "description"),
    tags: migrationConstant(sql, "tags"),
    meta: migrationConstant(sql, "meta"),
    nodeGroups: migrationConstant(sql, "node_groups"),
    pinData: migrationConstant(sql, "pin_data"),
  };
  const located = locateSecrets({ id, ...workflow, ...carried });
  for (const { finding } of located) {
    if (isAllowed(finding, allowlist)) continue;
    const workflowLevel = finding.node === WORKFLOW_LEVEL;
    const field = workflowLevel ? /^[A-Za-z]+/.exec(finding.path)![0].replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : "nodes";
    problems.push({
      line: declarations.get(field)?.line ?? nodesLine,
      message: `possible secret (${finding.kind}) ${workflowLevel ? "in the workflow" : `in node "${finding.node}"`} at ${finding.path}: ${finding.masked} (fingerprint ${finding.fingerprint}); move it into an n8n credential, or allowlist it`,
    });
  }
  // Other problems quote names (the workflow's, a node's): a secret in one is shown masked there too.
  return maskValues(problems, located.map(({ secret }) => secret));
}

function headerAgainstBody(file: string, sql: string, header: Partial<WorkflowHeader>, declarations: Map<string, Declaration>): LineProblem[] {
  const problems: LineProblem[] = [];
  if (header.migration !== undefined && header.migration !== file) {
    problems.push({ line: headerLine(sql, "Migration"), message: `header Migration "${header.migration}" differs from the file name (renamed? the file records the name it was rendered with)` });
  }
  const pairs: Array<[keyof WorkflowHeader, string, string]> = [
    ["migration", "migration", "Migration"],
    ["source", "source", "Source"],
    ["workflowId", "id", "Workflow ID"],
    ["versionId", "version_id", "Version ID"],
  ];
  for (const [key, field, label] of pairs) {
    const declared = declarations.get(field);
    if (!declared) {
      problems.push({ line: 1, message: `the body declares no in_${field}: not a migration rendered by n8n-sync` });
    } else if (header[key] !== undefined && header[key] !== declared.value) {
      problems.push({ line: declared.line, message: `in_${field} "${declared.value}" differs from header ${label} "${header[key]}"` });
    }
  }
  const updated = declarations.get("updated_at");
  if (updated && header.lastUpdated !== undefined && Date.parse(updated.value) !== Date.parse(header.lastUpdated)) {
    problems.push({ line: updated.line, message: `in_updated_at "${updated.value}" differs from header Last Updated "${header.lastUpdated}"` });
  }
  const name = classifyFileName(file);
  if (name.kind === "migration" && name.name.startsWith(PROD_SYNC_PREFIX) && header.source !== undefined && header.source !== "prod") {
    problems.push({ line: headerLine(sql, "Source"), message: `a ${PROD_SYNC_PREFIX} file must have Source prod, not ${header.source}` });
  }
  return problems;
}

/** Every node an object with a name and a type, names unique, credentials only as {id, name}. */
export function nodeProblems(nodes: readonly unknown[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  nodes.forEach((node, index) => {
    if (!isObject(node)) {
      problems.push(`node #${index} is not an object`);
      return;
    }
    const name = typeof node.name === "string" ? node.name : undefined;
    const label = name !== undefined ? `"${name}"` : `#${index}`;
    if (name === undefined) problems.push(`node #${index} has no name`);
    else if (seen.has(name)) problems.push(`node name "${name}" is used twice (n8n connects nodes by name)`);
    else seen.add(name);
    if (typeof node.type !== "string") problems.push(`node ${label} has no type`);
    if (node.credentials !== undefined) {
      if (!isObject(node.credentials)) {
        problems.push(`node ${label}: credentials must be an object {<type>: {id, name}}`);
        return;
      }
      for (const [type, reference] of Object.entries(node.credentials)) {
        const extra = isObject(reference) ? Object.keys(reference).filter((key) => key !== "id" && key !== "name") : ["(not an object)"];
        if (extra.length > 0) {
          problems.push(`node ${label} credential ${type} holds ${extra.join(", ")}: a file may reference a credential only by {id, name}, never hold its data`);
        }
      }
    }
  });
  return problems;
}

/** Every connection's source and target is a node of the workflow. */
export function connectionProblems(connections: unknown, nodes: readonly unknown[]): string[] {
  if (!isObject(connections)) return ["connections must be an object"];
  const names = new Set(nodes.flatMap((node) => (isObject(node) && typeof node.name === "string" ? [node.name] : [])));
  const problems: string[] = [];
  for (const [from, outputs] of Object.entries(connections)) {
    if (!names.has(from)) problems.push(`connections start at "${from}", which is not a node`);
    if (!isObject(outputs)) continue;
    for (const [type, lists] of Object.entries(outputs)) {
      if (!Array.isArray(lists)) continue;
      for (const list of lists) {
        if (!Array.isArray(list)) continue;
        for (const target of list) {
          const to = isObject(target) ? target.node : undefined;
          if (typeof to !== "string" || !names.has(to)) {
            problems.push(`connection "${from}" -> ${typeof to === "string" ? `"${to}"` : "(no node)"} (${type}) points at no node`);
          }
        }
      }
    }
  }
  return problems;
}

/** The line of the header field a message names (line 1 when it names none). */
function headerLine(sql: string, messageOrLabel: string): number {
  const label = /"([^"]+):"|header ([A-Za-z ]+?) "/.exec(messageOrLabel);
  const name = label?.[1] ?? label?.[2] ?? messageOrLabel;
  const at = sql.indexOf(`\n-- ${name}: `);
  return at === -1 || at > 4096 ? 1 : lineAt(sql, at + 1);
}

