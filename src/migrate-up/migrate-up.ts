// migrate-up, the library function behind the command: the runner (src/migrations/run.ts) with the
// workflow hooks plugged in. Runs on every dev and prod start.
import type { Applied } from "../migrations/applier.ts";
import { runMigrations, type PendingEntry as RunPendingEntry, type RunEvent as RunnerEvent, type RunOptions, type RunResult } from "../migrations/run.ts";
import type { ApplySettings } from "../workflows/apply-settings.ts";
import type { WorkflowReport } from "../workflows/report.ts";
import { workflowHooks, type WorkflowDescription, type WorkflowFacts, type WorkflowStatus } from "../workflows/runner-hooks.ts";

export interface MigrateUpOptions extends Omit<RunOptions, "planFirst" | "applicationName"> {
  /** what workflow migrations need to know about this database (set per file as GUCs) */
  settings: ApplySettings;
  /** wait this long for n8n to create its tables before the first workflow migration; else stop at once */
  waitForN8nMs?: number | undefined;
  /** plan first (as a dry run) and apply nothing when a workflow file would leave a reference unresolved */
  failOnMissingReferences?: boolean;
  onEvent?: (event: RunEvent) => void;
}

export type AppliedFile = Applied<WorkflowFacts, WorkflowReport>;

export type RunEvent = RunnerEvent<WorkflowFacts, WorkflowReport> | { type: "waiting-for-n8n"; schema: string; waitMs: number };

export type RunStatus = MigrateUpResult["status"];

export type PendingEntry = RunPendingEntry<WorkflowFacts, WorkflowDescription>;

export type MigrateUpResult = RunResult<WorkflowFacts, WorkflowReport, WorkflowDescription, WorkflowStatus>;

export async function migrateUp(options: MigrateUpOptions): Promise<MigrateUpResult> {
  const emit = options.onEvent ?? (() => {});
  const { settings, waitForN8nMs, failOnMissingReferences, onEvent, ...run } = options;
  const hooks = workflowHooks({
    settings,
    waitForN8nMs,
    onWaitingForN8n: (schema, waitMs) => emit({ type: "waiting-for-n8n", schema, waitMs }),
  });
  return runMigrations({ ...run, planFirst: failOnMissingReferences ?? false }, hooks, emit);
}
