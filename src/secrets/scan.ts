// The secret scanner: finds credentials pasted into a workflow instead of n8n's credential store, before
// the workflow becomes a file in Git (export-prod) or is merged (validate). Pure: a workflow in, findings
// out. It reads every text a workflow file carries: the workflow's name, description, tags, settings,
// meta, node groups and pinData, and each node's name, notes and parameters (Code node source, URLs,
// JSON bodies, header / query / body lists). A finding carries a masked preview and a fingerprint, never
// the value, so nothing downstream (logs, summary, allowlist) can leak it.
import { createHash } from "node:crypto";
import { appendIndex, appendKey } from "../workflows/json-path.ts";
import { scanText, type SecretHit } from "./text.ts";
import { isObject } from "../n8n/workflow.ts";

export interface SecretFinding {
  workflowId: string;
  workflowName: string;
  /** the node's name, or WORKFLOW_LEVEL for the workflow's own fields */
  node: string;
  /** where in the node (or workflow), e.g. parameters.headerParameters.parameters[0].value */
  path: string;
  /** which rule matched, e.g. "github-token" */
  kind: string;
  /** enough to recognise the value, never enough to use it */
  masked: string;
  /** salted hash of the value: what an allowlist entry pins (a changed value needs a new review) */
  fingerprint: string;
}

/** The `node` of a finding in the workflow's own fields (name, description, settings, pinData...). */
export const WORKFLOW_LEVEL = "(workflow)";

/** What a workflow file carries, as export-prod reads it and validate reads it back from a file. */
export interface ScannedWorkflow {
  id: string;
  name: string;
  nodes: readonly unknown[];
  description?: unknown;
  tags?: unknown;
  settings?: unknown;
  meta?: unknown;
  nodeGroups?: unknown;
  pinData?: unknown;
}

/** A finding with the value it was made from: kept in memory only, to mask that value wherever shown. */
export interface LocatedSecret {
  finding: SecretFinding;
  secret: string;
}

/**
 * Secrets anywhere in a workflow. n8n expressions are scanned for literals only (what {{ ... }} reads
 * at run time is no secret), and node credential references ({id, name}) are not scanned: they are the
 * way a node should name its secret.
 */
export function scanWorkflowSecrets(workflow: ScannedWorkflow): SecretFinding[] {
  return locateSecrets(workflow).map(({ finding }) => finding);
}

/** scanWorkflowSecrets with each finding's value, for masking what is shown of the workflow. */
export function locateSecrets(workflow: ScannedWorkflow): LocatedSecret[] {
  const hits: Array<{ node: string; path: string; hit: SecretHit }> = [];
  const report = (node: string) => (path: string, hit: SecretHit) => hits.push({ node, path, hit });
  const { name, description, tags, settings, meta, nodeGroups, pinData } = workflow;
  walk({ name, description, tags, settings, meta, nodeGroups, pinData }, [], undefined, report(WORKFLOW_LEVEL));
  workflow.nodes.forEach((item, index) => {
    const node = isObject(item) ? item : {};
    const nodeName = typeof node.name === "string" ? node.name : `#${index}`;
    const { credentials: _references, ...scanned } = node;
    walk(scanned, [], undefined, report(nodeName));
  });
  // Names are printed with every finding: one that holds a secret is shown with it masked.
  const secrets = hits.map(({ hit }) => hit.secret);
  const workflowName = maskValues(workflow.name, secrets);
  return hits.map(({ node, path, hit }) => ({
    secret: hit.secret,
    finding: {
      workflowId: workflow.id,
      workflowName,
      node: maskValues(node, secrets),
      path,
      kind: hit.kind,
      masked: maskSecret(hit.secret),
      fingerprint: fingerprintSecret(workflow.id, hit.secret),
    },
  }));
}

/** `value` with every occurrence of the secrets in its strings (at any depth) replaced by its masked preview. */
export function maskValues<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  if (typeof value === "string") {
    // Longest first: a secret inside another is masked as part of it.
    return [...secrets].sort((a, b) => b.length - a.length).reduce((text, secret) => text.split(secret).join(maskSecret(secret)), value as string) as T;
  }
  if (Array.isArray(value)) return value.map((item) => maskValues(item, secrets)) as T;
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskValues(item, secrets)])) as T;
  return value;
}

/** The first secret a single value holds, or undefined. */
export function scanValue(field: string | undefined, raw: string): SecretHit | undefined {
  return scanText(field, raw)[0];
}

/** First 4 characters of long values only (a short secret's prefix is too much of it), plus the length. */
export function maskSecret(secret: string): string {
  const length = [...secret].length;
  return length >= 20 ? `${[...secret].slice(0, 4).join("")}… (${length} chars)` : `*** (${length} chars)`;
}

/** Salted with the workflow id so equal values in different workflows do not share a fingerprint. */
export function fingerprintSecret(workflowId: string, secret: string): string {
  return createHash("sha256").update(`n8n-sync:${workflowId}:${secret}`).digest("hex").slice(0, 16);
}

type Report = (path: string, hit: SecretHit) => void;

/**
 * Every string in a tree with its path and the name it is known by. In n8n's name/value lists
 * (headers, query parameters, body fields, Set assignments) the field name of `value` is its sibling
 * `name` (or `key`). The path is kept as its steps and written out only for a finding.
 */
function walk(node: unknown, steps: Array<string | number>, field: string | undefined, report: Report): void {
  if (typeof node === "string") {
    const hits = scanText(field, node);
    if (hits.length === 0) return;
    const path = steps.reduce<string>((prefix, step) => (typeof step === "number" ? appendIndex(prefix, step) : appendKey(prefix, step)), "");
    for (const hit of hits) report(path, hit);
  } else if (Array.isArray(node)) {
    node.forEach((item, index) => {
      steps.push(index);
      walk(item, steps, field, report);
      steps.pop();
    });
  } else if (isObject(node)) {
    const pairName = "value" in node ? [node.name, node.key].find((name) => typeof name === "string") : undefined;
    for (const key in node) {
      steps.push(key);
      walk(node[key], steps, key === "value" && pairName !== undefined ? pairName : key, report);
      steps.pop();
    }
  }
}

