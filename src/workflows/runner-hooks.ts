// How workflow migrations plug into the domain-free runner (src/migrations/hooks.ts): a file starting
// with the workflow marker gets the apply settings (n8n_sync.* GUCs), its NOTICEs become workflow
// reports, waiting workflow files land before the pending ones once n8n's tables exist (waiting.ts), and a
// dry run rehearses it. Anything heavy (n8n inspection, the rehearsal) is imported only when a pending
// workflow file needs it, so the every-start path with nothing pending loads none of it.
import type pg from "pg";
import type { HeldRun, PendingFile, RunnerHooks, RunStop } from "../migrations/hooks.ts";
import { applySettingsGucs, type ApplySettings } from "./apply-settings.ts";
import { isWorkflowMigration } from "./header.ts";
import type { Prediction } from "./predict.ts";
import { parseNotice, unresolvedReferences, type ReferenceReport, type WorkflowReport } from "./report.ts";
import type { LandedWorkflow, WaitingWorkflow } from "./waiting.ts";

export interface WorkflowFacts {
  /** starts with the n8n-sync workflow marker: needs n8n's tables */
  workflow: boolean;
}

/** What a dry run says a pending workflow file would do. */
export interface WorkflowDescription {
  prediction?: Prediction;
  /** why there is no prediction (n8n not ready, header incomplete) */
  predictionProblem?: string;
  /** what the file would report about its references (rehearse.ts) */
  references?: ReferenceReport[];
  /** the error the file would stop the run with */
  wouldFail?: string;
  /** n8n's tables are not there: the file would wait (why) */
  waits?: string;
}

/** n8n-not-ready: only a misconfiguration (N8N_DB_SCHEMA without n8n's tables while they exist elsewhere) */
export type WorkflowStatus = "n8n-not-ready" | "missing-references" | "waiting-failed";

export interface WorkflowHookOptions {
  settings: ApplySettings;
  /** wait this long for n8n to create its tables before the first workflow migration; else stop at once */
  waitForN8nMs?: number | undefined;
  onWaitingForN8n?: (schema: string, waitMs: number) => void;
  /** a waiting workflow file landed (before the pending files) */
  onLanded?: (landed: LandedWorkflow) => void;
  /** the waiting workflow files this run left waiting (n8n's tables still missing, or no owner yet) */
  onStillWaiting?: (waiting: WaitingWorkflow) => void;
}

const N8N_POLL_MS = 1_000;

export function workflowHooks(options: WorkflowHookOptions): RunnerHooks<WorkflowFacts, WorkflowReport, WorkflowDescription, WorkflowStatus> {
  const gucs = applySettingsGucs(options.settings);
  let n8nChecked = false;
  return {
    factsOf: (sql) => ({ workflow: isWorkflowMigration(sql) }),
    unknownFacts: { workflow: undefined },
    settingsFor: () => gucs,
    reportOf: parseNotice,
    beforePending: async (run) => {
      const { readWaiting } = await import("./waiting.ts");
      const waiting = await readWaiting(run.client);
      if (waiting.length === 0) return undefined;
      const n8n = await waitForN8n(run.client, options);
      n8nChecked = true;
      if (n8n.misconfigured) return { status: "n8n-not-ready", message: n8n.misconfigured };
      if (!n8n.ready) {
        for (const entry of waiting) options.onStillWaiting?.(entry);
        return undefined;
      }
      return landWaiting(run, waiting, options);
    },
    beforeFile: async (client, migration) => {
      // Without n8n's tables a workflow file waits (apply-workflow.sql step 0): the run goes on.
      if (!migration.workflow || n8nChecked) return undefined;
      const n8n = await waitForN8n(client, options);
      n8nChecked = true;
      return n8n.misconfigured ? { status: "n8n-not-ready", message: n8n.misconfigured } : undefined;
    },
    describe: (client, pending) => describeWorkflowFiles(client, pending, options.settings, gucs),
    refuse: (described): RunStop<WorkflowStatus> | undefined => {
      const unresolved = described.reduce((count, entry) => count + unresolvedReferences(entry).length, 0);
      if (unresolved === 0) return undefined;
      return {
        status: "missing-references",
        message: `${unresolved} reference${unresolved === 1 ? "" : "s"} would stay unresolved (listed above): nothing applied (--fail-on-missing-references). Sync or create what is missing, or run without the flag`,
      };
    },
  };
}

/**
 * Dry run: the pending workflow files rehearsed in order in a transaction that is rolled back: what each
 * reports (its outcome after the earlier files, its references) is what a real run would. Without n8n's
 * tables they would wait. One file in memory at a time.
 */
async function describeWorkflowFiles(
  client: pg.Client,
  pending: ReadonlyArray<PendingFile<WorkflowFacts>>,
  settings: ApplySettings,
  gucs: Readonly<Record<string, string>>,
): Promise<WorkflowDescription[]> {
  const described: WorkflowDescription[] = pending.map(() => ({}));
  const workflowFiles = pending.filter((file) => file.facts.workflow);
  if (workflowFiles.length === 0) return described;
  const n8n = await n8nTables(client, settings.schema);
  if (!n8n.ready) {
    for (const [index, file] of pending.entries()) {
      if (!file.facts.workflow) continue;
      if (n8n.misconfigured) described[index]!.predictionProblem = `${n8n.misconfigured}: a real run stops here`;
      else described[index]!.waits = "n8n has not created its tables in this database yet";
    }
    return described;
  }
  const [{ rehearseWorkflowFiles }, { predictionOf }] = await Promise.all([import("./rehearse.ts"), import("./predict.ts")]);
  const rehearsed = await rehearseWorkflowFiles(
    client,
    workflowFiles.map((file) => ({ file: file.file, load: async () => (await file.load()).sql })),
    gucs,
  );
  for (const { file, reports, problem } of rehearsed) {
    const entry = described[pending.findIndex((p) => p.file === file)]!;
    if (problem) entry.wouldFail = problem;
    else {
      // The real SQL's outcome, after the earlier pending files: several files of one workflow replay in order.
      const prediction = reports[0] && predictionOf(reports[0]);
      if (prediction) entry.prediction = prediction;
      else if (reports[0]) entry.waits = reports[0].reason;
      entry.references = reports.flatMap((report) => report.references ?? []);
    }
  }
  return described;
}

/** Lands the waiting workflow files in file order (lock held); the first failure stops the run. */
async function landWaiting(run: HeldRun, waiting: readonly WaitingWorkflow[], options: WorkflowHookOptions): Promise<RunStop<WorkflowStatus> | undefined> {
  const { landWaiting: land } = await import("./waiting.ts");
  for (const entry of waiting) {
    const result = await land(run.client, entry.migration, options.settings, run);
    if (result.status === "landed") options.onLanded?.(result.landed);
    else if (result.status === "still-waiting") options.onStillWaiting?.({ ...entry, reason: result.reason });
    else if (result.status === "failed") {
      return {
        status: "waiting-failed",
        message: `waiting workflow ${entry.name} (${entry.workflowId}, ${entry.migration}) failed to land: ${result.message}; nothing of it was applied and it stays waiting: fix the cause and rerun`,
      };
    }
  }
  return undefined;
}

interface N8nTables {
  ready: boolean;
  /** n8n's tables are not in the configured schema but in another: what to do */
  misconfigured?: string;
}

/** Whether n8n's tables are in the configured schema; when not, whether they are elsewhere (a misconfiguration). */
async function n8nTables(client: pg.Client, schema: string): Promise<N8nTables> {
  const { inspectN8nSchema } = await import("../n8n/schema.ts");
  if ((await inspectN8nSchema(client, schema)).ready) return { ready: true };
  const { rows } = await client.query<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relname = 'workflow_entity' AND c.relkind IN ('r', 'p') AND n.nspname <> $1 ORDER BY 1`,
    [schema],
  );
  if (rows.length === 0) return { ready: false };
  return {
    ready: false,
    misconfigured: `n8n tables not found in schema ${schema} but in ${rows.map((r) => r.schema).join(", ")}: set N8N_DB_SCHEMA to n8n's DB_POSTGRESDB_SCHEMA, then rerun`,
  };
}

/** Whether n8n's tables are there, after waiting up to --wait-for-n8n for them (never while misconfigured). */
async function waitForN8n(client: pg.Client, options: WorkflowHookOptions): Promise<N8nTables> {
  const schema = options.settings.schema;
  const deadline = Date.now() + (options.waitForN8nMs ?? 0);
  let announced = false;
  for (;;) {
    const n8n = await n8nTables(client, schema);
    if (n8n.ready || n8n.misconfigured) return n8n;
    if (options.waitForN8nMs === undefined || Date.now() >= deadline) return n8n;
    if (!announced) {
      options.onWaitingForN8n?.(schema, options.waitForN8nMs);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, N8N_POLL_MS));
  }
}
