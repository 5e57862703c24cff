// How workflow migrations plug into the domain-free runner (src/migrations/hooks.ts): a file starting
// with the workflow marker gets the apply settings (n8n_sync.* GUCs), its NOTICEs become workflow
// reports, it waits for n8n's tables, and a dry run rehearses it. Anything heavy (n8n
// inspection, prediction) is imported only when a pending workflow file needs it, so the every-start
// path with nothing pending loads none of it.
import type pg from "pg";
import type { PendingFile, RunnerHooks, RunStop } from "../migrations/hooks.ts";
import { applySettingsGucs, type ApplySettings } from "./apply-settings.ts";
import { isWorkflowMigration } from "./header.ts";
import type { Prediction } from "./predict.ts";
import { parseNotice, unresolvedReferences, type ReferenceReport, type WorkflowReport } from "./report.ts";

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
}

export type WorkflowStatus = "n8n-not-ready" | "missing-references";

export interface WorkflowHookOptions {
  settings: ApplySettings;
  /** wait this long for n8n to create its tables before the first workflow migration; else stop at once */
  waitForN8nMs?: number | undefined;
  onWaitingForN8n?: (schema: string, waitMs: number) => void;
}

const N8N_POLL_MS = 1_000;

export function workflowHooks(options: WorkflowHookOptions): RunnerHooks<WorkflowFacts, WorkflowReport, WorkflowDescription, WorkflowStatus> {
  const gucs = applySettingsGucs(options.settings);
  let n8nReady = false;
  return {
    factsOf: (sql) => ({ workflow: isWorkflowMigration(sql) }),
    unknownFacts: { workflow: undefined },
    settingsFor: () => gucs,
    reportOf: parseNotice,
    beforeFile: async (client, migration) => {
      if (!migration.workflow || n8nReady) return undefined;
      const notReady = await waitForN8n(client, options);
      if (notReady) return { status: "n8n-not-ready", message: notReady };
      n8nReady = true;
      return undefined;
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
 * reports (its outcome after the earlier files, its references) is what a real run would. One file in
 * memory at a time.
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
  const { inspectN8nSchema, notReadyMessage } = await import("../n8n/schema.ts");
  if (!(await inspectN8nSchema(client, settings.schema)).ready) {
    for (const [index, file] of pending.entries()) {
      if (file.facts.workflow) described[index]!.predictionProblem = `${notReadyMessage(settings.schema)}: a real run stops here`;
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
      entry.references = reports.flatMap((report) => report.references ?? []);
    }
  }
  return described;
}

/** undefined when n8n's tables are there (after waiting, if allowed); else the message to stop with. */
async function waitForN8n(client: pg.Client, options: WorkflowHookOptions): Promise<string | undefined> {
  const { inspectN8nSchema, notReadyMessage } = await import("../n8n/schema.ts");
  const schema = options.settings.schema;
  const deadline = Date.now() + (options.waitForN8nMs ?? 0);
  let announced = false;
  for (;;) {
    if ((await inspectN8nSchema(client, schema)).ready) return undefined;
    if (options.waitForN8nMs === undefined || Date.now() >= deadline) return notReadyMessage(schema);
    if (!announced) {
      options.onWaitingForN8n?.(schema, options.waitForN8nMs);
      announced = true;
    }
    await new Promise((resolve) => setTimeout(resolve, N8N_POLL_MS));
  }
}
