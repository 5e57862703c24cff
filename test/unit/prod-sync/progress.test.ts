import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createOutput } from "../../../src/output/output.ts";
import { createProgressReporter } from "../../../src/prod-sync/progress.ts";
import type { SummaryWorkflow } from "../../../src/prod-sync/summary.ts";

function capture(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  let text = "";
  stream.on("data", (chunk) => (text += chunk));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

const workflow: SummaryWorkflow = {
  workflowId: "wf1",
  name: "Orders",
  status: "written",
  file: "supabase/migrations/1_prod_sync_orders.sql",
  credentials: [],
  findings: [],
  dev: { state: "absent" },
};

describe("progress", () => {
  it("plain lines when not on a terminal", () => {
    const out = capture(false);
    const reporter = createProgressReporter(createOutput({ stdout: out.stream, stderr: out.stream }), out.stream);
    reporter.onEvent({ type: "selected", matched: 3, toExport: 1, alreadyExported: 2 });
    reporter.onEvent({ type: "exported", workflow });
    reporter.stop();
    expect(out.text()).toBe(
      '3 workflow(s) matched: 1 to export, 2 already exported\nexported "Orders" (wf1) -> supabase/migrations/1_prod_sync_orders.sql\n',
    );
  });

  it("a bar on a terminal", () => {
    const out = capture(true);
    const reporter = createProgressReporter(createOutput({ stdout: out.stream, stderr: out.stream }), out.stream);
    reporter.onEvent({ type: "selected", matched: 1, toExport: 1, alreadyExported: 0 });
    reporter.onEvent({ type: "exported", workflow });
    reporter.stop();
    expect(out.text()).toContain("exporting");
    expect(out.text()).toContain("1/1");
    expect(out.text()).not.toContain('exported "Orders"');
  });

  it("nothing but the JSON result with --json", () => {
    const out = capture(false);
    const reporter = createProgressReporter(createOutput({ json: true, stdout: out.stream, stderr: out.stream }), out.stream);
    reporter.onEvent({ type: "selected", matched: 1, toExport: 1, alreadyExported: 0 });
    reporter.onEvent({ type: "exported", workflow });
    expect(out.text()).toBe("");
  });
});
