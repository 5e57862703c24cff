// What an export-prod run prints while it works (the shared progress display, src/progress.ts): the
// selection, then a bar on a terminal (blocked workflows above it as they happen) or one plain line per
// workflow otherwise, nothing but the final JSON with --json.
import type { Output } from "../output/output.ts";
import { createProgress } from "../output/progress.ts";
import type { ExportProdEvent } from "./export-prod.ts";
import type { SummaryWorkflow } from "./summary.ts";

export interface ProgressReporter {
  onEvent(event: ExportProdEvent): void;
  stop(): void;
  /** a bar hid the per-workflow lines (the caller lists the files afterwards) */
  readonly bar: boolean;
}

export function createProgressReporter(out: Output, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const progress = createProgress(out, { label: "exporting", stream });
  return {
    onEvent: (event) => {
      if (event.type === "selected") {
        out.info(selectedLine(event));
        progress.start(event.toExport);
        return;
      }
      // A blocked workflow is a failure the person must see at once; an exported one is a per-item line.
      const line = workflowLine(event.workflow);
      const blocked = event.workflow.status === "blocked-by-secrets";
      if (blocked) progress.notice("info", line);
      else progress.line(line);
      progress.advance(event.workflow.name);
    },
    stop: () => progress.stop(),
    bar: progress.bar,
  };
}

function selectedLine(event: Extract<ExportProdEvent, { type: "selected" }>): string {
  return `${event.matched} workflow(s) matched: ${event.toExport} to export, ${event.alreadyExported} already exported`;
}

function workflowLine(workflow: SummaryWorkflow): string {
  if (workflow.status === "blocked-by-secrets") {
    return `blocked  ${JSON.stringify(workflow.name)} (${workflow.workflowId}): ${workflow.findings.filter((f) => !f.allowedBy).length} secret(s) found, no file written`;
  }
  return `exported ${JSON.stringify(workflow.name)} (${workflow.workflowId}) -> ${workflow.file}`;
}
