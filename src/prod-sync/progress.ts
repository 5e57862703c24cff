// How an export-prod run shows progress: a bar on a terminal (stderr), one plain line per workflow
// otherwise (CI logs, pipes), nothing but the final JSON with --json.
import cliProgress from "cli-progress";
import type { Output } from "../output.ts";
import type { ExportProdEvent } from "./export-prod.ts";
import type { SummaryWorkflow } from "./summary.ts";

export interface ProgressReporter {
  onEvent(event: ExportProdEvent): void;
  stop(): void;
}

export function createProgressReporter(out: Output, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  if (out.json) return { onEvent: () => {}, stop: () => {} };
  if (stream.isTTY) return barReporter(out, stream);
  return {
    onEvent: (event) => {
      if (event.type === "selected") out.info(selectedLine(event));
      else out.info(workflowLine(event.workflow));
    },
    stop: () => {},
  };
}

function barReporter(out: Output, stream: NodeJS.WriteStream): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    { stream, format: "exporting {bar} {value}/{total} {name}", hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onEvent: (event) => {
      if (event.type === "selected") {
        out.info(selectedLine(event));
        if (event.toExport > 0) {
          bar.start(event.toExport, 0, { name: "" });
          started = true;
        }
      } else {
        bar.increment(1, { name: event.workflow.name.slice(0, 40) });
      }
    },
    stop: () => {
      if (started) bar.stop();
    },
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
