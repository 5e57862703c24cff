import { describe, expect, it } from "vitest";
import type { MigrationFailure } from "../../../src/migrations/apply.ts";
import type { AppliedFile, MigrateUpResult } from "../../../src/migrate-up/migrate-up.ts";
import { appliedLines, eventLines, failureBlock, headerLine, pendingLines, publicationLines, reportLine, summaryLine, waitingLine, workflowReports } from "../../../src/cli/migrate-up-lines.ts";
import { migrateUpExitCode } from "../../../src/cli/exit-codes.ts";
import { publishRefused, queuedPublications, type Publication } from "../../../src/migrate-up/publication.ts";
import type { WorkflowReport } from "../../../src/workflows/report.ts";

const report = (outcome: WorkflowReport["outcome"], reloadNeeded = false): WorkflowReport => ({
  migration: "m.sql",
  workflowId: "wf1",
  name: "Agent",
  outcome,
  reason: "why",
  incomingVersionId: "v2",
  previousVersionId: "v1",
  reloadNeeded,
  credentials: [],
});

const file = (reports: WorkflowReport[]): AppliedFile => ({
  version: "1",
  file: "1_a.sql",
  workflow: reports.length > 0,
  mode: { kind: "transaction" },
  statements: 1,
  reports,
  warnings: [],
  durationMs: 1,
});

const result = (over: Partial<MigrateUpResult>): MigrateUpResult => ({
  status: "ok",
  dryRun: false,
  applied: [],
  pending: [],
  outOfOrder: [],
  missingLocal: [],
  drifted: [],
  appliedTotal: 0,
  warnings: [],
  durationMs: 400,
  landed: [],
  waiting: [],
  ...over,
});

describe("render", () => {
  it("names the environment and masked database first", () => {
    expect(headerLine("production", "postgresql://u:***@h/db", false)).toBe("migrate-up: env production, database postgresql://u:***@h/db");
  });

  it("summarises a run in one line", () => {
    expect(summaryLine(result({ appliedTotal: 120 }))).toBe("up to date: 120 migrations applied");
    expect(
      summaryLine(result({ applied: [file([report("inserted")]), file([report("updated")]), file([])], appliedTotal: 3 })),
    ).toBe("applied 3 migrations (2 workflows: 1 inserted, 1 updated) in 0.4s");
  });

  it("prints one line per workflow; conflicts marked, reloads said", () => {
    expect(reportLine(report("updated", true))).toContain("Agent (wf1): why; n8n must reload it");
    expect(reportLine(report("skipped-conflict"))).toMatch(/CONFLICT .*skipped-conflict/);
  });

  it("says a publish queued in n8n's outbox as queued, not as a reload to do", () => {
    expect(reportLine({ ...report("updated", true), publicationQueued: true })).toContain("Agent (wf1): why; queued for n8n to publish");
  });

  it("says per published workflow: live, not live with n8n's reason per node and the restore, queued, not verified", () => {
    const p = (publication: Publication["publication"], more: Partial<Publication> = {}): Publication => ({
      workflowId: "wf1", name: "Agent", versionId: "v2", publication, ...more,
    });
    expect(publicationLines(p({ status: "live", errors: [] }), 60_000)).toEqual([{ level: "info", text: "  Agent (wf1): live in n8n" }]);
    const refused = p(
      { status: "failed", errors: [{ node: "Webhook", message: "path taken" }] },
      { restored: { versionId: "v1", status: "live", errors: [] } },
    );
    expect(publicationLines(refused, 60_000).map((line) => line.text)).toEqual([
      "Agent (wf1): not live in n8n: Webhook: path taken",
      "Agent (wf1): put the previously published version v1 back: live again; the new version stays current in the editor: fix it there, then publish or sync again",
    ]);
    expect(publicationLines(p({ status: "failed", errors: [{ node: null, message: "boom" }] }), 0).map((line) => line.text)).toEqual([
      "Agent (wf1): not live in n8n: boom",
      "Agent (wf1): no previously published version to put back: the workflow is offline until it is fixed and published",
    ]);
    expect(publicationLines(p({ status: "pending", errors: [] }, { pending: "not-waited" }), 0)[0]!.text).toContain("publish queued: n8n applies it at its next outbox poll");
    expect(publicationLines(p({ status: "pending", errors: [] }, { pending: "n8n-not-running" }), 60_000)[0]!.text).toContain(
      "publish queued: n8n is not running; it applies it at its start",
    );
    expect(publicationLines(p({ status: "pending", errors: [] }, { pending: "timed-out" }), 60_000)[0]!.text).toContain("still queued after 60s");
    expect(publicationLines(p({ status: "not-verified", errors: [] }), 0)[0]!.text).toContain("Agent (wf1): not verified");

    // --fail-on-publish-error turns a refusal (restored or not) into exit 3; without the flag it is 0.
    const refusedRun = { publishRefused: publishRefused([refused]) };
    expect(migrateUpExitCode(result({}), { ...refusedRun, failOnPublishError: true })).toBe(3);
    expect(migrateUpExitCode(result({}), refusedRun)).toBe(0);
    expect(migrateUpExitCode(result({}), { publishRefused: publishRefused([p({ status: "live", errors: [] })]), failOnPublishError: true })).toBe(0);
  });

  it("waits for each workflow's newest queued publication; an archive later in the run is an unpublish, not waited for", () => {
    const queued = (workflowId: string, publishedVersionId: string | null): WorkflowReport => ({
      ...report("updated", true), workflowId, publicationQueued: true, publishedVersionId,
    });
    expect(queuedPublications([queued("a", "v1"), queued("b", "v1"), queued("a", "v2"), queued("b", null), report("updated", true)])).toEqual([
      queued("a", "v2"),
    ]);
  });

  it("says what is being waited for", () => {
    expect(eventLines({ type: "waiting-for-lock", holderPid: 42, waitMs: 60_000 })).toEqual([
      { level: "warn", text: "waiting for another migrate-up (pid 42) to finish (up to 60s)" },
    ]);
  });

  it("renders a failure as one block: file, statement, position, code, detail, hint, source line", () => {
    const failure: MigrationFailure = {
      file: "20250101000000_a.sql",
      version: "20250101000000",
      statement: 2,
      statementCount: 3,
      line: 7,
      column: 5,
      sourceLine: "    insert into nope values (1);",
      code: "42P01",
      message: 'relation "nope" does not exist',
      detail: "d",
      hint: "h",
      where: undefined,
      appliedStatements: undefined,
    };
    expect(failureBlock(failure)).toBe(
      [
        "migration 20250101000000_a.sql failed at statement 2 of 3, line 7, column 5",
        '  42P01: relation "nope" does not exist',
        "  DETAIL: d",
        "  HINT: h",
        "  7 |     insert into nope values (1);",
        "    |     ^",
        "nothing of this file was applied; earlier files stay applied, later files were not attempted",
      ].join("\n"),
    );
    expect(failureBlock({ ...failure, appliedStatements: 1 })).toMatch(/first 1 statement\(s\) stay applied.*--status applied\|reverted 20250101000000/);
  });

  it("a dry run's predictions read as English", () => {
    const entry = (outcome: "unchanged" | "skip-conflict" | "overwrite-conflict") =>
      pendingLines({ version: "1", file: "1_a.sql", outOfOrder: false, workflow: true, autocommit: undefined, prediction: { workflowId: "wf1", name: "Agent", outcome, reason: "why" } })[1]!;
    expect(entry("unchanged")).toBe("    would stay unchanged Agent (wf1): why");
    expect(entry("skip-conflict")).toContain("would skip: conflict Agent (wf1): why");
    expect(entry("overwrite-conflict")).toContain("would overwrite: conflict Agent (wf1): why");
  });

  it("a plain SQL file gets a line of its own, like a workflow file", () => {
    expect(appliedLines(file([])).map((line) => line.text)).toEqual([`  ${"applied".padEnd(18)} 1_a.sql`]);
    expect(appliedLines(file([report("inserted")])).map((line) => line.text)).toEqual([`  ${"inserted".padEnd(18)} Agent (wf1): why`]);
  });

  it("waiting workflows: counted in the summary, one line each after it, not reported as applied to n8n; landed ones count as workflows", () => {
    const waits = { ...report("waiting"), reason: "n8n has not created its tables in this database yet" };
    const waiting = [{ migration: "1_a.sql", workflowId: "wf1", name: "Agent", reason: waits.reason }];
    expect(summaryLine(result({ applied: [file([waits])], appliedTotal: 1, waiting }))).toBe(
      "applied 1 migration in 0.4s; 1 workflow waiting for n8n's tables",
    );
    expect(summaryLine(result({ appliedTotal: 1, waiting }))).toBe("up to date: 1 migration applied; 1 workflow waiting for n8n's tables");
    expect(appliedLines(file([waits]))).toEqual([]);
    expect(waitingLine(waiting[0]!)).toBe(
      "  waiting Agent (wf1, 1_a.sql): lands on the first migrate-up after n8n has created its tables (n8n has not created its tables in this database yet)",
    );
    const landed = [{ migration: "1_a.sql", reports: [report("inserted")], durationMs: 1 }];
    expect(summaryLine(result({ landed, appliedTotal: 1 }))).toBe("1 waiting workflow landed (1 workflow: 1 inserted) in 0.4s");
    expect(workflowReports(result({ landed, applied: [file([waits])] })).map((r) => r.outcome)).toEqual(["inserted"]);
    expect(eventLines({ type: "landed", landed: landed[0]! }).map((l) => l.text)).toEqual([
      "  landed 1_a.sql (it was waiting for n8n's tables)",
      expect.stringContaining("inserted"),
    ]);
  });
});
