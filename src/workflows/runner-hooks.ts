// How workflow migrations plug into the domain-free runner (src/migrations/hooks.ts): a file starting
// with the workflow marker gets the apply settings (n8n_sync.* GUCs), its NOTICEs become workflow
// reports, it waits for n8n's tables, and a dry run predicts and rehearses it. Anything heavy (n8n
// inspection, prediction) is imported only when a pending workflow file needs it, so the every-start
// path with nothing pending loads none of it.
import type pg from "pg";
import { withTransaction } from "../db.ts";
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
 * Each pending workflow file's prediction, read in a READ ONLY transaction (nothing can change); then the
 * workflow files rehearsed in order in a transaction that is rolled back, for what they would report
 * about their references. One file in memory at a time.
 */
async function describeWorkflowFiles(
  client: pg.Client,
  pending: ReadonlyArray<PendingFile<WorkflowFacts>>,
  settings: ApplySettings,
  gucs: Readonly<Record<string, string>>,
): Promise<WorkflowDescription[]> {
  const described = await predictFiles(client, pending, settings);
  const workflowFiles = pending.filter((_, index) => described[index]!.prediction);
  if (workflowFiles.length === 0) return described;
  const { rehearseWorkflowFiles } = await import("./rehearse.ts");
  const rehearsed = await rehearseWorkflowFiles(
    client,
    workflowFiles.map((file) => ({ file: file.file, load: async () => (await file.load()).sql })),
    gucs,
  );
  for (const { file, reports, problem } of rehearsed) {
    const entry = described[pending.findIndex((p) => p.file === file)]!;
    if (problem) entry.wouldFail = problem;
    else entry.references = reports.flatMap((report) => report.references ?? []);
  }
  return described;
}

async function predictFiles(client: pg.Client, pending: ReadonlyArray<PendingFile<WorkflowFacts>>, settings: ApplySettings): Promise<WorkflowDescription[]> {
  return withTransaction(
    client,
    async () => {
      const described: WorkflowDescription[] = [];
      let n8nProblem: string | undefined | null = null; // null: not looked at yet
      for (const file of pending) {
        const entry: WorkflowDescription = {};
        described.push(entry);
        if (!file.facts.workflow) continue;
        if (n8nProblem === null) {
          const { inspectN8nSchema, notReadyMessage } = await import("../n8n/schema.ts");
          n8nProblem = (await inspectN8nSchema(client, settings.schema)).ready ? undefined : notReadyMessage(settings.schema);
        }
        if (n8nProblem) {
          entry.predictionProblem = `${n8nProblem}: a real run stops here`;
          continue;
        }
        const { predictWorkflowMigration } = await import("./predict.ts");
        try {
          entry.prediction = await predictWorkflowMigration(client, (await file.load()).sql, settings);
        } catch (error) {
          entry.predictionProblem = (error as Error).message;
        }
      }
      return described;
    },
    { readOnly: true },
  );
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
