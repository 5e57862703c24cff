// Pure: the lines n8n:status prints. Quiet when all is well (the summary line); one line per file or
// workflow that needs a look, saying what to do.
import { colors, oneLine } from "../output/output.ts";
import type { Agreement } from "../status/agreement.ts";
import type { StatusResult } from "../status/status.ts";
import { waitingLine } from "./migrate-up-lines.ts";

const LABEL: Readonly<Record<Agreement, string>> = {
  same: "same",
  "db-ahead": "db ahead",
  "file-ahead": "file ahead",
  conflict: "CONFLICT",
  "only-in-db": "only in db",
  "only-in-files": "only in files",
};

export function statusHeaderLine(envName: string, maskedUrl: string): string {
  return `status: env ${envName}, database ${maskedUrl}`;
}

/** Lines for what needs attention: pending, drifted, out of order, and workflows that differ. */
export function statusDetailLines(result: StatusResult): Array<{ level: "info" | "warn"; text: string }> {
  const lines: Array<{ level: "info" | "warn"; text: string }> = [];
  for (const warning of result.warnings) lines.push({ level: "warn", text: warning });
  const outOfOrder = new Set(result.outOfOrder);
  for (const file of result.pending) lines.push({ level: "info", text: `  pending   ${file}${outOfOrder.has(file) ? " (out of order)" : ""}` });
  for (const file of result.drifted) {
    lines.push({ level: "warn", text: `drifted: ${file} changed since it was applied (migrate-up stops): restore it from Git, put the change in a new migration` });
  }
  if (result.missingLocal.length > 0) {
    lines.push({ level: "warn", text: `applied here with no local file (another branch, or deleted): ${result.missingLocal.join(", ")}` });
  }
  for (const waiting of result.waiting) lines.push({ level: "info", text: waitingLine(waiting) });
  if (result.n8nNotReady) lines.push({ level: "warn", text: `workflows not compared: ${result.n8nNotReady}` });
  for (const workflow of result.workflows) {
    if (workflow.agreement === "same") continue;
    const line = `${LABEL[workflow.agreement].padEnd(13)} ${oneLine(workflow.name)} (${workflow.workflowId}): ${workflow.detail}`;
    lines.push(workflow.agreement === "conflict" ? { level: "warn", text: colors.bold(colors.red(line)) } : { level: "info", text: `  ${line}` });
  }
  for (const workflow of result.unresolved) {
    for (const reference of workflow.references) {
      lines.push({ level: "warn", text: `unresolved    ${oneLine(workflow.name)} (${workflow.workflowId}): ${reference} (${workflow.file})` });
    }
  }
  for (const p of result.publications) {
    const who = `${p.name} (${p.workflowId})`;
    if (p.state === "queued") lines.push({ level: "info", text: `  queued        ${who}: publish queued; n8n applies it at its next outbox poll, or at its start` });
    if (p.state !== "not-live") continue;
    const reasons = p.errors.map((e) => `${e.node ? `${e.node}: ` : ""}${e.message}`).join("; ");
    const serving = p.servingVersionId ? `; its previous version ${p.servingVersionId} is live instead` : "";
    lines.push({ level: "warn", text: `not live      ${who}: not live in n8n: ${reasons}${serving}: fix it in n8n's editor, then publish or sync again` });
  }
  return lines;
}

/** e.g. "12 applied, 2 pending, 0 drifted; workflows: 3 same, 1 db ahead, 1 conflict" */
export function statusSummaryLine(result: StatusResult): string {
  const waiting = result.waiting.length > 0 ? `, ${result.waiting.length} waiting for n8n's tables` : "";
  const files = `${result.applied.length} applied, ${result.pending.length} pending, ${result.drifted.length} drifted${waiting}`;
  if (result.n8nNotReady) return `${files}; workflows not compared (n8n not ready)`;
  const counts = new Map<Agreement, number>();
  for (const w of result.workflows) counts.set(w.agreement, (counts.get(w.agreement) ?? 0) + 1);
  const order: Agreement[] = ["same", "db-ahead", "file-ahead", "only-in-db", "only-in-files", "conflict"];
  const parts = order.filter((a) => counts.has(a)).map((a) => `${counts.get(a)} ${LABEL[a].toLowerCase()}`);
  const states = ["live", "not-live", "queued"] as const;
  const published = states
    .map((state) => [state, result.publications.filter((p) => p.state === state).length] as const)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${n} ${state.replace("-", " ")}`);
  return `${files}; workflows: ${parts.length > 0 ? parts.join(", ") : "none"}${published.length > 0 ? `; published in n8n: ${published.join(", ")}` : ""}`;
}

export function hasConflict(result: StatusResult): boolean {
  return result.workflows.some((w) => w.agreement === "conflict");
}
