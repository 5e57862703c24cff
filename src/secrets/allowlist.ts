// The secrets allowlist: findings a reviewer has accepted (a public demo key, a false positive), one
// entry per finding, pinned by workflow, node, parameter path and the value's fingerprint, so a changed
// value or a new place needs a new review. The file holds fingerprints, never values.
import { readFile } from "node:fs/promises";
import { UserError } from "../errors/errors.ts";
import type { SecretFinding } from "./scan.ts";

export const DEFAULT_ALLOWLIST_FILE = ".n8n-sync-allow-secrets.json";

export interface AllowlistEntry {
  workflowId: string;
  node: string;
  path: string;
  fingerprint: string;
  /** why it is acceptable (for reviewers; not matched) */
  reason?: string;
}

export interface Allowlist {
  allow: AllowlistEntry[];
}

const REQUIRED = ["workflowId", "node", "path", "fingerprint"] as const;

/** Parses and checks an allowlist file's text; problems name the file and the entry. */
export function parseAllowlist(text: string, fileName: string): Allowlist {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${fileName} is not valid JSON (${(error as Error).message}): fix or remove it.`);
  }
  const allow = (data as { allow?: unknown } | null)?.allow;
  if (!Array.isArray(allow)) {
    throw new UserError(`${fileName} must be an object {"allow": [...]} listing {workflowId, node, path, fingerprint, reason}.`);
  }
  return {
    allow: allow.map((entry: unknown, index) => {
      const record = (entry ?? {}) as Record<string, unknown>;
      const missing = REQUIRED.filter((key) => typeof record[key] !== "string" || record[key] === "");
      if (missing.length > 0) {
        throw new UserError(`${fileName}: entry ${index + 1} has no ${missing.join(", ")} (copy the entry the export printed for the finding).`);
      }
      if ("value" in record || "secret" in record) {
        throw new UserError(`${fileName}: entry ${index + 1} holds a value: an allowlist lists fingerprints only; remove it and rotate that secret.`);
      }
      const { workflowId, node, path, fingerprint, reason } = record as Record<string, string>;
      return { workflowId: workflowId!, node: node!, path: path!, fingerprint: fingerprint!, ...(reason ? { reason } : {}) };
    }),
  };
}

/** The allowlist at path, or an empty one when the file does not exist. */
export async function readAllowlist(path: string): Promise<Allowlist> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { allow: [] };
    throw error;
  }
  return parseAllowlist(text, path);
}

export function isAllowed(finding: SecretFinding, allowlist: Allowlist): boolean {
  return allowlist.allow.some(
    (entry) =>
      entry.workflowId === finding.workflowId &&
      entry.node === finding.node &&
      entry.path === finding.path &&
      entry.fingerprint === finding.fingerprint,
  );
}

/** The entry a reviewer pastes into the allowlist to accept a finding. */
export function allowlistEntryFor(finding: SecretFinding): AllowlistEntry {
  return {
    workflowId: finding.workflowId,
    node: finding.node,
    path: finding.path,
    fingerprint: finding.fingerprint,
    reason: "",
  };
}
