// migrate-up, the library function behind the command: the runner (src/migrations/run.ts) with the
// workflow hooks plugged in. Runs on every dev and prod start. Workflow files applied before n8n's tables
// exist wait (src/workflows/waiting.ts): the result lists the ones still waiting and those that landed.
import type { Applied } from "../migrations/applier.ts";
import { runMigrations, type PendingEntry as RunPendingEntry, type RunEvent as RunnerEvent, type RunOptions, type RunResult } from "../migrations/run.ts";
import type { ApplySettings } from "../workflows/apply-settings.ts";
import type { WorkflowReport } from "../workflows/report.ts";
import { workflowHooks, type WorkflowDescription, type WorkflowFacts, type WorkflowStatus } from "../workflows/runner-hooks.ts";
import { WAITING_OUTCOME, type LandedWorkflow, type WaitingWorkflow } from "../workflows/waiting.ts";

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

export type RunEvent =
  | RunnerEvent<WorkflowFacts, WorkflowReport>
  | { type: "waiting-for-n8n"; schema: string; waitMs: number }
  /** a waiting workflow file landed, before the pending files */
  | { type: "landed"; landed: LandedWorkflow };

export type RunStatus = MigrateUpResult["status"];

export type PendingEntry = RunPendingEntry<WorkflowFacts, WorkflowDescription>;

export type MigrateUpResult = RunResult<WorkflowFacts, WorkflowReport, WorkflowDescription, WorkflowStatus> & {
  /** waiting workflow files this run landed, in file order */
  landed: LandedWorkflow[];
  /** workflow files still waiting for n8n's tables after this run, in file order (not looked at in a dry run) */
  waiting: WaitingWorkflow[];
};

export async function migrateUp(options: MigrateUpOptions): Promise<MigrateUpResult> {
  const emit = options.onEvent ?? (() => {});
  const { settings, waitForN8nMs, failOnMissingReferences, onEvent, ...run } = options;
  const landed: LandedWorkflow[] = [];
  const stillWaiting: WaitingWorkflow[] = [];
  const hooks = workflowHooks({
    settings,
    waitForN8nMs,
    onWaitingForN8n: (schema, waitMs) => emit({ type: "waiting-for-n8n", schema, waitMs }),
    onLanded: (file) => {
      landed.push(file);
      emit({ type: "landed", landed: file });
    },
    onStillWaiting: (entry) => stillWaiting.push(entry),
  });
  const result = await runMigrations({ ...run, planFirst: failOnMissingReferences ?? false }, hooks, emit);
  const waitedNow = result.applied.flatMap((file) =>
    file.reports.filter((r) => r.outcome === WAITING_OUTCOME).map((r) => ({ migration: r.migration, workflowId: r.workflowId, name: r.name, reason: r.reason })),
  );
  return { ...result, landed, waiting: [...stillWaiting, ...waitedNow] };
}
