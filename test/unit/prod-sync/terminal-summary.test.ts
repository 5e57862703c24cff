// export-prod on a terminal: a few lines instead of the pull request's Markdown.
import { describe, expect, it } from "vitest";
import type { SummaryWorkflow } from "../../../src/prod-sync/summary.ts";
import { terminalSummaryLines } from "../../../src/prod-sync/terminal-summary.ts";

const workflows: SummaryWorkflow[] = [
  { workflowId: "wfA", name: "Orders", status: "written", file: "supabase/migrations/2_prod_sync_orders.sql", credentials: [], findings: [], dev: { state: "local-edits", detail: "dev versionId v9 differs from last synced v1" } },
  { workflowId: "wfB", name: "New", status: "written", file: "supabase/migrations/3_prod_sync_new.sql", credentials: [], findings: [], dev: { state: "absent" } },
  { workflowId: "wfC", name: "Same", status: "already-exported", existingFile: "1_prod_sync_same.sql", credentials: [], findings: [], dev: { state: "not-checked", reason: "not exported" } },
];

describe("terminalSummaryLines", () => {
  it("no Markdown: the conflicts, and where the review summary is", () => {
    const lines = terminalSummaryLines(workflows, { listFiles: false, summaryFile: undefined });
    expect(lines).toEqual([
      'CONFLICT "Orders" (wfA): edited in dev since the last sync (dev versionId v9 differs from last synced v1); applying this file there decides by the conflict rule',
      "the review summary (changes, credentials, secrets, diagrams) as Markdown: add --summary <file>; npm run n8n:diff shows the changes here",
    ]);
    expect(lines.join("\n")).not.toMatch(/classDef|<details>|\|---|^#/m);
  });

  it("behind a progress bar it lists the files; with --summary it names the file", () => {
    const lines = terminalSummaryLines(workflows, { listFiles: true, summaryFile: "summary.md" });
    expect(lines.slice(0, 2)).toEqual([
      'exported "Orders" (wfA) -> supabase/migrations/2_prod_sync_orders.sql',
      'exported "New" (wfB) -> supabase/migrations/3_prod_sync_new.sql',
    ]);
    expect(lines.at(-1)).toBe("review summary (changes, credentials, secrets, diagrams) written to summary.md");
  });

  it("says nothing about a review when everything was already exported", () => {
    expect(terminalSummaryLines([workflows[2]!], { listFiles: false, summaryFile: undefined })).toEqual([]);
  });
});
