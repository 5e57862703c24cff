// The secret scanner: finds credentials pasted into node parameters instead of n8n's credential store,
// before a production workflow becomes a file in Git. Pure: nodes in, findings out. A finding carries a
// masked preview and a fingerprint, never the value, so nothing downstream (logs, summary, allowlist)
// can leak it.
import { createHash } from "node:crypto";
import { appendIndex, appendKey } from "../workflows/json-path.ts";

export interface SecretFinding {
  workflowId: string;
  workflowName: string;
  node: string;
  /** where in the node, e.g. parameters.headerParameters.parameters[0].value */
  path: string;
  /** which rule matched, e.g. "github-token" */
  kind: string;
  /** enough to recognise the value, never enough to use it */
  masked: string;
  /** salted hash of the value: what an allowlist entry pins (a changed value needs a new review) */
  fingerprint: string;
}

interface PatternRule {
  kind: string;
  pattern: RegExp;
  /** capture group holding the secret itself (default: the whole match) */
  group?: number;
  /** rules that also match prose ("Bearer authentication") check the candidate further */
  accept?: (secret: string) => boolean;
}

/** Generated tokens mix letters and digits; words of a sentence do not. */
const mixesLettersAndDigits = (value: string) => /[0-9]/.test(value) && /[A-Za-z]/.test(value);
/** Basic auth is base64 of "user:password". */
const isBasicCredentials = (value: string) => Buffer.from(value, "base64").toString("latin1").includes(":");

// Token formats of common services, most specific first: a value is reported under the first rule
// that matches it.
const PATTERN_RULES: readonly PatternRule[] = [
  { kind: "private-key", pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*-----|$)/ },
  { kind: "github-token", pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,}\b/ },
  { kind: "github-token", pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}\b/ },
  { kind: "gitlab-token", pattern: /\bglpat-[A-Za-z0-9_-]{20,}\b/ },
  { kind: "slack-token", pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: "slack-webhook", pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]{16,}/ },
  { kind: "stripe-key", pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b/ },
  { kind: "anthropic-key", pattern: /\bsk-ant-[A-Za-z0-9_-]{20,}/ },
  { kind: "openai-key", pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/, accept: mixesLettersAndDigits },
  { kind: "google-api-key", pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: "sendgrid-key", pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/ },
  { kind: "twilio-api-key", pattern: /\bSK[0-9a-fA-F]{32}\b/ },
  { kind: "mailgun-key", pattern: /\bkey-[0-9a-f]{32}\b/ },
  { kind: "npm-token", pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { kind: "huggingface-token", pattern: /\bhf_[A-Za-z0-9]{30,}\b/ },
  { kind: "shopify-token", pattern: /\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b/ },
  { kind: "telegram-bot-token", pattern: /\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b/ },
  { kind: "aws-access-key", pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/ },
  {
    kind: "aws-secret-key",
    pattern: /aws.{0,20}?(?:secret|private).{0,20}?[=:"'\s]+([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/i,
    group: 1,
  },
  { kind: "jwt", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
  { kind: "bearer-token", pattern: /\bBearer\s+([A-Za-z0-9._~+/-]{12,}=*)/, group: 1, accept: mixesLettersAndDigits },
  { kind: "basic-auth", pattern: /\bBasic\s+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/, group: 1, accept: isBasicCredentials },
  // scheme://user:password@host; placeholders such as *** or ${VAR} are not passwords.
  { kind: "connection-string-password", pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"]+:([^\s@/'"]+)@/i, group: 1 },
];

/** Field names whose high-entropy values are secrets even without a known format. */
const SECRET_FIELD = /secret|token|passw(?:or)?d|passwd|pwd|authori[sz]ation|signature|credential|key$/i;
/** Field names whose every literal value is a password. */
const PASSWORD_FIELD = /^(?:password|passwd|pwd|pass)$|[-_ ](?:password|passwd|pwd)$/i;
const PLACEHOLDER = /^(?:\*+|x+|\$\{[^}]*\}|\{\{[^}]*\}\}|<[^>]*>|changeme|password|your[-_ ]?\w*)$/i;
// No "." either: file names, host names and paths have dots; generated keys rarely do (JWTs have
// their own rule).
const TOKEN_CHARS = /^[A-Za-z0-9+/=_~-]+$/;

/**
 * Secrets in the parameters of a workflow's nodes. n8n expressions are scanned with their {{ ... }}
 * parts removed (those read credentials or variables at run time), and node credential references
 * ({id, name}) are not parameters, so neither is reported.
 */
export function scanWorkflowSecrets(workflow: {
  id: string;
  name: string;
  nodes: readonly unknown[];
}): SecretFinding[] {
  const findings: SecretFinding[] = [];
  workflow.nodes.forEach((item, index) => {
    const node = (item ?? {}) as { name?: unknown; parameters?: unknown };
    const nodeName = typeof node.name === "string" ? node.name : `#${index}`;
    walk(node.parameters, "parameters", undefined, (path, field, value) => {
      const hit = scanValue(field, value);
      if (!hit) return;
      findings.push({
        workflowId: workflow.id,
        workflowName: workflow.name,
        node: nodeName,
        path,
        kind: hit.kind,
        masked: maskSecret(hit.secret),
        fingerprint: fingerprintSecret(workflow.id, hit.secret),
      });
    });
  });
  return findings;
}

/** The secret a single value holds (first rule that matches), or undefined. */
export function scanValue(field: string | undefined, raw: string): { kind: string; secret: string } | undefined {
  const value = literalPart(raw);
  if (value.trim() === "") return undefined;
  for (const rule of PATTERN_RULES) {
    const match = rule.pattern.exec(value);
    const secret = match?.[rule.group ?? 0];
    if (secret && !PLACEHOLDER.test(secret) && (rule.accept?.(secret) ?? true)) return { kind: rule.kind, secret };
  }
  if (field === undefined) return undefined;
  const candidate = value.trim();
  if (PASSWORD_FIELD.test(field) && candidate.length >= 4 && !PLACEHOLDER.test(candidate)) {
    return { kind: "password-field", secret: candidate };
  }
  if (SECRET_FIELD.test(field) && looksRandom(candidate)) return { kind: "high-entropy-secret", secret: candidate };
  return undefined;
}

/**
 * What a value is outside n8n expressions: an n8n expression is a string starting with "=" whose
 * {{ ... }} parts are evaluated at run time; the literal text around them is exported as written.
 */
function literalPart(value: string): string {
  if (!value.startsWith("=")) return value;
  return value.slice(1).replace(/\{\{[\s\S]*?\}\}/g, " ");
}

/** A token-like string with enough entropy to be generated rather than typed. */
export function looksRandom(value: string): boolean {
  if (value.length < 16 || value.length > 512 || !TOKEN_CHARS.test(value)) return false;
  // Hex has 4 bits per character at most, so its threshold is lower (as in truffleHog).
  const threshold = /^[0-9a-fA-F]+$/.test(value) ? 3 : 3.5;
  return mixesLettersAndDigits(value) && shannonEntropy(value) >= threshold;
}

export function shannonEntropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
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

type Visit = (path: string, field: string | undefined, value: string) => void;

/**
 * Every string in a parameter tree with its path and the name it is known by. In n8n's name/value lists
 * (headers, query parameters, body fields) the field name of `value` is its sibling `name`.
 */
function walk(node: unknown, path: string, field: string | undefined, visit: Visit): void {
  if (typeof node === "string") {
    visit(path, field, node);
  } else if (Array.isArray(node)) {
    node.forEach((item, index) => walk(item, appendIndex(path, index), field, visit));
  } else if (node !== null && typeof node === "object") {
    const record = node as Record<string, unknown>;
    const pairName = typeof record.name === "string" && "value" in record ? record.name : undefined;
    for (const [key, value] of Object.entries(record)) {
      const childField = key === "value" && pairName !== undefined ? pairName : key;
      walk(value, appendKey(path, key), childField, visit);
    }
  }
}
