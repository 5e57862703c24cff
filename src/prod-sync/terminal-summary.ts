// Pure: what export-prod prints after its run on a terminal, in place of the Markdown review summary
// (that one is for the pull request: `--summary <file>` writes it, and CI logs get it). A few lines a
// person reads: the files (behind a progress bar they were not printed), the workflows edited in dev
// since the last sync, and where the full review is.
import type { SummaryWorkflow } from "./summary.ts";

export interface TerminalSummaryOptions {
  /** a progress bar hid the per-workflow lines: list the files written */
  listFiles: boolean;
  /** --summary was given (the Markdown is in that file) */
  summaryFile: string | undefined;
}

export function terminalSummaryLines(workflows: readonly SummaryWorkflow[], options: TerminalSummaryOptions): string[] {
  const lines: string[] = [];
  if (options.listFiles) {
    for (const w of workflows.filter((w) => w.status === "written")) lines.push(`exported ${JSON.stringify(w.name)} (${w.workflowId}) -> ${w.file}`);
  }
  for (const w of workflows.filter((w) => w.dev.state === "local-edits")) {
    const detail = w.dev.state === "local-edits" ? w.dev.detail : "";
    lines.push(`CONFLICT ${JSON.stringify(w.name)} (${w.workflowId}): edited in dev since the last sync (${detail}); applying this file there decides by the conflict rule`);
  }
  const reviewed = workflows.some((w) => w.status !== "already-exported");
  if (reviewed) {
    lines.push(
      options.summaryFile
        ? `review summary (changes, credentials, secrets, diagrams) written to ${options.summaryFile}`
        : "the review summary (changes, credentials, secrets, diagrams) as Markdown: add --summary <file>; npm run n8n:diff shows the changes here",
    );
  }
  return lines;
}
