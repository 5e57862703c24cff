// The Markdown review summary of an export-prod run: the body of the prod-sync pull request and what the
// command prints. Pure: everything it shows is in its input, which holds masked findings only.
import type { WorkflowDiff } from "./diff.ts";
import type { SecretFinding } from "../secrets/scan.ts";

export type WorkflowStatus = "written" | "blocked-by-secrets" | "already-exported";

/** Whether the dev side was edited since it last received this workflow (see dev-check.ts). */
export type DevCheck =
  | { state: "not-checked"; reason: string }
  | { state: "absent" }
  | { state: "clean" }
  | { state: "local-edits"; detail: string };

export interface ReviewedFinding extends SecretFinding {
  /** why it did not block: "allowlist" entry or the --allow-secrets flag */
  allowedBy?: "allowlist" | "--allow-secrets";
}

export interface SummaryWorkflow {
  workflowId: string;
  name: string;
  status: WorkflowStatus;
  /** the file written (relative path) */
  file?: string;
  /** the migration this version was already exported in (status already-exported) */
  existingFile?: string;
  /** the newest earlier migration of this workflow, compared against; undefined: first time in Git */
  comparedWith?: string;
  diff?: WorkflowDiff;
  credentials: ReadonlyArray<{ type: string; name: string }>;
  findings: readonly ReviewedFinding[];
  dev: DevCheck;
}

export interface SummaryInput {
  envName: string;
  /** e.g. "changed in the last 7 days", "named Order Sync" */
  selection: string;
  generatedAt: string;
  workflows: readonly SummaryWorkflow[];
}

const MAX_PATHS = 12;

export function renderSummary(input: SummaryInput): string {
  const count = (status: WorkflowStatus) => input.workflows.filter((w) => w.status === status).length;
  const conflicts = input.workflows.filter((w) => w.status === "written" && w.dev.state === "local-edits");
  const lines = [
    `## n8n production sync`,
    "",
    `Environment ${code(input.envName)}, workflows ${text(input.selection)}, generated ${input.generatedAt}.`,
    "",
    "| result | workflows |",
    "|---|---|",
    `| exported | ${count("written")} |`,
    `| blocked by secrets (no file) | ${count("blocked-by-secrets")} |`,
    `| already exported (skipped) | ${count("already-exported")} |`,
    `| dev edited since last sync | ${conflicts.length} |`,
  ];
  if (input.workflows.length === 0) lines.push("", "No workflow matched the selection.");
  for (const workflow of input.workflows.filter((w) => w.status !== "already-exported")) {
    lines.push("", ...renderWorkflow(workflow));
  }
  const skipped = input.workflows.filter((w) => w.status === "already-exported");
  if (skipped.length > 0) {
    lines.push("", "### Already exported", "");
    for (const w of skipped) lines.push(`- ${text(w.name)} (${code(w.workflowId)}): this version is in ${code(w.existingFile ?? "a migration")}`);
  }
  return `${lines.join("\n")}\n`;
}

function renderWorkflow(w: SummaryWorkflow): string[] {
  const mark = w.status === "blocked-by-secrets" ? "⛔" : w.dev.state === "local-edits" ? "⚠️" : "✅";
  const lines = [`### ${mark} ${text(w.name)} (${code(w.workflowId)})`, ""];
  lines.push(w.status === "written" ? `- File: ${code(w.file ?? "")}` : "- File: **not written**: secrets found (see below)");
  lines.push(...renderChanges(w));
  lines.push(
    w.credentials.length === 0
      ? "- Credentials: none"
      : `- Credentials (remapped by type + name on apply): ${w.credentials.map((c) => `${code(c.type)} ${text(c.name)}`).join(", ")}`,
  );
  lines.push(...renderFindings(w.findings));
  lines.push(`- Dev side: ${renderDev(w.dev)}`);
  return lines;
}

function renderChanges(w: SummaryWorkflow): string[] {
  if (w.comparedWith === undefined || w.diff === undefined) return ["- Changes: first migration of this workflow (nothing earlier to compare with)"];
  const d = w.diff;
  const lines = [`- Changes since ${code(w.comparedWith)}:`];
  if (d.renamedFrom !== undefined) lines.push(`  - Renamed from ${text(d.renamedFrom)}`);
  if (d.nodesAdded.length > 0) lines.push(`  - Nodes added: ${d.nodesAdded.map(code).join(", ")}`);
  if (d.nodesRemoved.length > 0) lines.push(`  - Nodes removed: ${d.nodesRemoved.map(code).join(", ")}`);
  if (d.nodesChanged.length > 0) {
    lines.push("  - Nodes changed:");
    for (const node of d.nodesChanged) {
      const renamed = node.previousName !== undefined ? ` (was ${code(node.previousName)})` : "";
      lines.push(`    - ${code(node.name)}${renamed}: ${listPaths(node.paths)}`);
    }
  }
  if (d.connectionsAdded.length > 0) lines.push(`  - Connections added: ${d.connectionsAdded.map(code).join(", ")}`);
  if (d.connectionsRemoved.length > 0) lines.push(`  - Connections removed: ${d.connectionsRemoved.map(code).join(", ")}`);
  if (d.settingsChanged.length > 0) lines.push(`  - Settings changed: ${listPaths(d.settingsChanged)}`);
  if (lines.length === 1) lines.push("  - no change to nodes, connections or settings (other fields only)");
  return lines;
}

function listPaths(paths: readonly string[]): string {
  const shown = paths.slice(0, MAX_PATHS).map(code).join(", ");
  return paths.length > MAX_PATHS ? `${shown} and ${paths.length - MAX_PATHS} more` : shown;
}

function renderFindings(findings: readonly ReviewedFinding[]): string[] {
  if (findings.length === 0) return ["- Secrets: none found"];
  return [
    "- Secrets found (values masked):",
    ...findings.map((f) => {
      const status = f.allowedBy ? `allowed by ${f.allowedBy}` : "**blocks this workflow**";
      return `  - ${code(f.node)} ${code(f.path)}: ${f.kind}, ${code(f.masked)}, fingerprint ${code(f.fingerprint)} (${status})`;
    }),
  ];
}

function renderDev(dev: DevCheck): string {
  switch (dev.state) {
    case "not-checked":
      return `not checked (${text(dev.reason)})`;
    case "absent":
      return "not in dev yet: will be inserted";
    case "clean":
      return "no local edits since the last sync: fast-forward";
    case "local-edits":
      return `**edited in dev since the last sync: conflict** (${text(dev.detail)})`;
  }
}

/** Inline code whose fence is longer than any backtick run inside (CommonMark), on one line. */
export function code(value: string): string {
  const flat = value.replace(/[\r\n]+/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || flat === "" ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Plain text with Markdown and HTML syntax escaped, on one line. */
export function text(value: string): string {
  return value.replace(/[\r\n]+/g, " ").replace(/[\\`*_[\]<>|~&]/g, (char) => `\\${char}`);
}
