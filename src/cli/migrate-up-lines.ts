// Pure: the lines migrate-up prints. Quiet on success (one summary line, one line per workflow), one
// readable block on failure.
import { colors, oneLine } from "../output/output.ts";
import { isConflict, isUnresolved, type ReferenceReport, type WorkflowReport } from "../workflows/report.ts";
import type { Action } from "../workflows/conflict.ts";
import type { MigrationFailure } from "../migrations/apply.ts";
import type { AppliedFile, MigrateUpResult, PendingEntry, RunEvent } from "../migrate-up/migrate-up.ts";
import { WAITING_OUTCOME, type WaitingWorkflow } from "../workflows/waiting.ts";
import type { Publication } from "../migrate-up/publication.ts";

export function headerLine(envName: string, maskedUrl: string, dryRun: boolean): string {
  return `migrate-up${dryRun ? " (dry run)" : ""}: env ${envName}, database ${maskedUrl}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** What this run did to workflows: the waiting files that landed, then the pending files (waits excluded: nothing reached n8n). */
export function workflowReports(result: Pick<MigrateUpResult, "applied" | "landed">): WorkflowReport[] {
  return [...(result.landed ?? []), ...result.applied].flatMap((file) => file.reports).filter((report) => report.outcome !== WAITING_OUTCOME);
}

/** One line per workflow file waiting for n8n's tables (migrate-up after its summary, status). */
export function waitingLine(waiting: WaitingWorkflow): string {
  return `  waiting ${waiting.name} (${waiting.workflowId}, ${waiting.migration}): lands on the first migrate-up after n8n has created its tables (${waiting.reason})`;
}

/** e.g. "applied 3 migrations (2 workflows: 1 inserted, 1 updated) in 0.4s" or "up to date: 120 migrations applied" */
export function summaryLine(result: MigrateUpResult): string {
  if (result.dryRun) {
    return result.pending.length === 0
      ? `up to date: ${plural(result.appliedTotal, "migration")} applied (dry run)`
      : `dry run: ${plural(result.pending.length, "migration")} would be applied; nothing was changed`;
  }
  const waiting = (result.waiting ?? []).length === 0 ? "" : `; ${plural(result.waiting.length, "workflow")} waiting for n8n's tables`;
  const landed = (result.landed ?? []).length === 0 ? "" : `${plural(result.landed.length, "waiting workflow")} landed, `;
  if (result.applied.length === 0 && landed === "" && result.status === "ok") return `up to date: ${plural(result.appliedTotal, "migration")} applied${waiting}`;
  const reports = workflowReports(result);
  const counts = new Map<string, number>();
  for (const report of reports) counts.set(report.outcome, (counts.get(report.outcome) ?? 0) + 1);
  const workflows =
    reports.length === 0 ? "" : ` (${plural(reports.length, "workflow")}: ${[...counts].map(([outcome, n]) => `${n} ${outcome}`).join(", ")})`;
  const applied = result.applied.length === 0 && landed !== "" ? landed.slice(0, -2) : `${landed}applied ${plural(result.applied.length, "migration")}`;
  return `${applied}${workflows} in ${seconds(result.durationMs)}${waiting}`;
}

/** One line per workflow a file reported; conflicts stand out. */
export function reportLine(report: WorkflowReport): string {
  const reload = report.publicationQueued ? "; queued for n8n to publish" : report.reloadNeeded ? "; n8n must reload it" : "";
  const line = `${report.outcome.padEnd(18)} ${oneLine(report.name)} (${oneLine(report.workflowId)}): ${report.reason}${reload}`;
  return isConflict(report.outcome) ? colors.bold(colors.red(`CONFLICT ${line}`)) : `  ${line}`;
}

/**
 * One indented line per reference that needs a look (unresolved, a move kept, an expression unchecked),
 * under the workflow's line; unresolved ones stand out.
 */
export function referenceLines(references: readonly ReferenceReport[] | undefined, indent = "    "): string[] {
  return (references ?? []).flatMap((ref) => {
    if (!ref.message) return [];
    const line = `${indent}${ref.message}`;
    return [isUnresolved(ref) ? colors.yellow(line) : line];
  });
}

/** A dry run's prediction, as English ("would stay unchanged", not "would unchanged"). */
const WOULD: Readonly<Record<Action, string>> = {
  insert: "would insert",
  update: "would update",
  unchanged: "would stay unchanged",
  "skip-conflict": "would skip: conflict",
  "overwrite-conflict": "would overwrite: conflict",
};

/** A pending file of a dry run, and on a second line what a workflow migration would do. */
export function pendingLines(entry: PendingEntry): string[] {
  const notes = [
    entry.workflow ? "workflow" : undefined,
    entry.outOfOrder ? "out of order" : undefined,
    entry.autocommit,
  ].filter(Boolean);
  const lines = [`  pending ${entry.file}${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`];
  const p = entry.prediction;
  if (p) {
    const line = `    ${WOULD[p.outcome]} ${oneLine(p.name)} (${oneLine(p.workflowId)}): ${p.reason}`;
    lines.push(p.outcome.endsWith("conflict") ? colors.bold(colors.red(line)) : line);
  } else if (entry.predictionProblem) {
    lines.push(`    no prediction: ${entry.predictionProblem}`);
  }
  if (entry.waits) lines.push(`    would wait: ${entry.waits}; it lands on the first migrate-up after n8n has created its tables`);
  if (entry.wouldFail) lines.push(`    would fail: ${entry.wouldFail}`);
  lines.push(...referenceLines(entry.references, "      "));
  return lines;
}

export function failureBlock(failure: MigrationFailure): string {
  const where =
    failure.statement === undefined
      ? "(statement not found: the history row, or the error did not repeat)"
      : `at statement ${failure.statement} of ${failure.statementCount}, line ${failure.line}, column ${failure.column}`;
  const lines = [`migration ${failure.file} failed ${where}`];
  // The server's text and the file's line are quoted on one line each (oneLine: no forged lines).
  lines.push(`  ${failure.code ?? "ERROR"}: ${oneLine(failure.message)}`);
  if (failure.detail) lines.push(`  DETAIL: ${oneLine(failure.detail)}`);
  if (failure.hint) lines.push(`  HINT: ${oneLine(failure.hint)}`);
  if (failure.where) lines.push(`  CONTEXT: ${oneLine(failure.where.split("\n").join(" / "))}`);
  if (failure.sourceLine !== undefined && failure.line !== undefined) {
    lines.push(`  ${failure.line} | ${oneLine(failure.sourceLine)}`);
    const column = failure.sourceColumn ?? failure.column;
    if (column !== undefined) lines.push(`  ${" ".repeat(String(failure.line).length)} | ${" ".repeat(Math.max(0, column - 1))}^`);
  }
  if (failure.code === "55P03") lines.push("  a lock the file needs stayed taken past lock_timeout: rerun, or raise --lock-timeout");
  lines.push(
    failure.appliedStatements
      ? `this file runs outside a transaction: its first ${failure.appliedStatements} statement(s) stay applied, and runs refuse ` +
          `until you finish or undo it by hand and run n8n:repair --status applied|reverted ${failure.version}`
      : "nothing of this file was applied; earlier files stay applied, later files were not attempted",
  );
  return lines.join("\n");
}

/** What to print for a progress event (undefined: stay quiet). */
export function eventLines(event: RunEvent): Array<{ level: "info" | "warn"; text: string }> {
  switch (event.type) {
    case "warning":
      return [{ level: "warn", text: event.message }];
    case "waiting-for-lock":
      return [{
        level: "warn",
        text: `waiting for another migrate-up${event.holderPid ? ` (pid ${event.holderPid})` : ""} to finish (up to ${seconds(event.waitMs)})`,
      }];
    case "waiting-for-n8n":
      return [{ level: "warn", text: `waiting for n8n to create its tables in schema ${event.schema} (up to ${seconds(event.waitMs)})` }];
    case "applying":
      return event.autocommitReason ? [{ level: "info", text: `${event.migration.file}: ${event.autocommitReason}` }] : [];
    case "started":
      return [];
    case "applied":
      return appliedLines(event.file).map(({ level, text }) => ({ level, text }));
    case "landed":
      return [
        { level: "info", text: `  landed ${event.landed.migration} (it was waiting for n8n's tables)` },
        ...appliedLines({ reports: event.landed.reports, warnings: [], file: event.landed.migration, workflow: true }).map(({ level, text }) => ({ level, text })),
      ];
  }
}

/**
 * What to print for an applied file, in order. `notice`: a person must see it as it happens, even behind
 * a progress bar (a conflict, an unresolved credential or reference, a warning); the rest are per-file lines.
 */
export function appliedLines(file: Pick<AppliedFile, "reports" | "warnings" | "file" | "workflow">): Array<{ level: "info" | "warn"; text: string; notice: boolean }> {
  return [
    // a plain SQL file has no workflow line: it gets one of its own
    ...(file.workflow ? [] : [{ level: "info" as const, text: `  ${"applied".padEnd(18)} ${file.file}`, notice: false }]),
    // A waiting file's line comes after the summary (waitingLine), with the ones waiting from earlier runs.
    ...file.reports.filter((report) => report.outcome !== WAITING_OUTCOME).flatMap((report) => {
      const unresolved = unresolvedLine(report);
      return [
        { level: "info" as const, text: reportLine(report), notice: isConflict(report.outcome) },
        ...(unresolved ? [{ level: "warn" as const, text: unresolved, notice: true }] : []),
        ...(report.references ?? []).flatMap((ref) =>
          referenceLines([ref]).map((text) => ({ level: "info" as const, text, notice: isUnresolved(ref) })),
        ),
      ];
    }),
    ...file.warnings.map((warning) => ({ level: "warn" as const, text: `${file.file}: ${warning}`, notice: true })),
  ];
}

/** The credentials a workflow references that this database could not resolve (undefined: none). */
export function unresolvedLine(report: WorkflowReport): string | undefined {
  const unresolved = report.credentials.filter((c) => c.status === "missing" || c.status === "ambiguous");
  if (unresolved.length === 0) return undefined;
  const list = unresolved.map((c) => `${c.status} credential "${oneLine(c.name)}" (${oneLine(c.type)}) of node "${oneLine(c.node)}"`).join("; ");
  return `"${oneLine(report.name)}" (${oneLine(report.workflowId)}): ${list}: create it in this n8n with that type and name, or bind it in the credential map`;
}

/** The demo's lines for a run: each workflow with its credentials, then the summary. */
export function demoRunLines(result: MigrateUpResult): string[] {
  return [
    ...workflowReports(result).flatMap((report) => [
      `  ${reportLine(report).trim()}`,
      ...report.credentials.map((credential) => `      credential "${credential.name}" (${credential.type}) of node "${credential.node}": ${credential.status}`),
    ]),
    `  ${summaryLine(result)}`,
  ];
}

/**
 * What became of a workflow the run published, for people: live, not live (n8n's reason per trigger
 * node) and the previous version put back, queued, or not verified (n8n 1.x without its API).
 */
export function publicationLines(p: Publication, waitLiveMs: number | undefined): Array<{ level: "info" | "warn"; text: string }> {
  const who = `${p.name} (${p.workflowId})`;
  if (p.reloaded) return []; // the reload's own line says it
  switch (p.publication.status) {
    case "live":
      return [{ level: "info", text: `  ${who}: live in n8n` }];
    case "not-verified":
      return [{ level: "info", text: `  ${who}: not verified: n8n 1.x runs the new version after it restarts (N8N_API_URL + N8N_API_KEY reload it at once)` }];
    case "pending":
      return [{ level: "info", text: `  ${who}: ${pendingText(p.pending, waitLiveMs)}` }];
    case "failed": {
      const lines = p.publication.errors.map((error) => ({
        level: "warn" as const,
        text: `${who}: not live in n8n: ${error.node ? `${error.node}: ` : ""}${error.message}`,
      }));
      const r = p.restored;
      if (r) {
        const outcome = r.status === "live" ? "live again" : r.status === "pending" ? "queued for n8n to publish" : `not live either: ${r.errors.map((e) => `${e.node ? `${e.node}: ` : ""}${e.message}`).join("; ")}`;
        lines.push({ level: "warn", text: `${who}: put the previously published version ${r.versionId} back: ${outcome}; the new version stays current in the editor: fix it there, then publish or sync again` });
      } else {
        lines.push({ level: "warn", text: `${who}: no previously published version to put back: the workflow is offline until it is fixed and published` });
      }
      return lines;
    }
  }
}

function pendingText(why: Publication["pending"], waitLiveMs: number | undefined): string {
  if (why === "n8n-not-running") return "publish queued: n8n is not running; it applies it at its start";
  if (why === "timed-out") return `publish still queued after ${seconds(waitLiveMs ?? 0)}: n8n applies it at its next outbox poll (is n8n running?)`;
  return "publish queued: n8n applies it at its next outbox poll, or at its start (--wait-live <seconds> waits for the outcome)";
}
