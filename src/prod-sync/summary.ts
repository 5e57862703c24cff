// The Markdown review summary of an export-prod run: the body of the prod-sync pull request and what the
// command prints. Pure: everything it shows is in its input, which holds masked findings only.
import { code, markdownChanges, markdownDiagram, text } from "../diff/render-markdown.ts";
import type { WorkflowDiff } from "../diff/workflow-diff.ts";
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
  /** against comparedWith, or against nothing (every node added) the first time */
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

/**
 * The PR body's limit is 65,536 characters and n8n-prod-sync.yml cuts the body at 60,000: past this the
 * summary leaves its diagrams out, so the cut never lands inside a diagram's code block.
 */
const DIAGRAMS_UP_TO = 55_000;

export function renderSummary(input: SummaryInput): string {
  const full = composeSummary(input, true);
  if (full.length <= DIAGRAMS_UP_TO) return full;
  return `${composeSummary(input, false)}\n_Diagrams left out: with them this summary would pass ${DIAGRAMS_UP_TO.toLocaleString("en-US")} characters (run \`npm run n8n:diff -- --markdown\` on the branch for them)._\n`;
}

function composeSummary(input: SummaryInput, diagrams: boolean): string {
  const count = (status: WorkflowStatus) => input.workflows.filter((w) => w.status === status).length;
  // every workflow listed below with a dev check (a blocked one too): the count matches the entries
  const conflicts = input.workflows.filter((w) => w.status !== "already-exported" && w.dev.state === "local-edits");
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
    lines.push("", ...renderWorkflow(workflow, diagrams));
  }
  const skipped = input.workflows.filter((w) => w.status === "already-exported");
  if (skipped.length > 0) {
    lines.push("", "### Already exported", "");
    for (const w of skipped) lines.push(`- ${text(w.name)} (${code(w.workflowId)}): this version is in ${code(w.existingFile ?? "a migration")}`);
  }
  return `${lines.join("\n")}\n`;
}

function renderWorkflow(w: SummaryWorkflow, diagrams: boolean): string[] {
  const mark = w.status === "blocked-by-secrets" ? "⛔" : w.dev.state === "local-edits" ? "⚠️" : "✅";
  const lines = [`### ${mark} ${text(w.name)} (${code(w.workflowId)})`, ""];
  lines.push(w.status === "written" ? `- File: ${code(w.file ?? "")}` : "- File: **not written**: secrets found (see below)");
  lines.push(...renderChanges(w, diagrams));
  lines.push(
    w.credentials.length === 0
      ? "- Credentials: none"
      : `- Credentials (remapped by type + name on apply): ${w.credentials.map((c) => `${code(c.type)} ${text(c.name)}`).join(", ")}`,
  );
  lines.push(...renderFindings(w.findings));
  lines.push(`- Dev side: ${renderDev(w.dev)}`);
  return lines;
}

function renderChanges(w: SummaryWorkflow, diagrams: boolean): string[] {
  const diagram = w.diff && diagrams ? ["", ...markdownDiagram(w.diff), ""] : [];
  if (w.comparedWith === undefined || w.diff === undefined) return ["- Changes: first migration of this workflow (nothing earlier to compare with)", ...diagram];
  return [`- Changes since ${code(w.comparedWith)}:`, ...markdownChanges(w.diff, 2), ...diagram];
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
