// Export: the chosen workflows of an environment's n8n -> one migration file each in MIGRATIONS_DIR.
// Everything is checked before anything is written (unknown names fail with suggestions); a version
// that already has a migration is not exported again unless forced; each file appears atomically. The
// selection is read a bounded batch at a time (the next one while the current one is written).
import { mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { ExitCode, UserError } from "../errors.ts";
import type { Config } from "../config.ts";
import { withClient } from "../db.ts";
import { connectionLoss, withN8nPrisma } from "../n8n/prisma.ts";
import { listWorkflowNames, listWorkflowSummaries, readWorkflowBatches, withCalledWorkflows, type WorkflowSummary } from "../n8n/read.ts";
import { requireN8nSchema, type N8nSchema } from "../n8n/schema.ts";
import { closeMatches, didYouMean } from "./close-matches.ts";
import { migratedVersions, listSqlFileNames } from "./existing.ts";
import { GENERATED_BY } from "./generated-by.ts";
import type { Source } from "./header.ts";
import { createVersionAllocator } from "./naming.ts";
import { renderWorkflowMigration } from "./render.ts";
import { exportInterruptedMessage } from "./interrupted-export.ts";
import { describeSource, type ExportedWorkflow } from "../n8n/workflow.ts";
import { foreignValues, staleValues, type EnvironmentValuesReport } from "./environment-check.ts";
import { readValuesFile } from "./environment-values-file.ts";
import type { ValuesTable } from "./environment-values.ts";

export interface ExportOptions {
  /** exact workflow names */
  names?: readonly string[];
  ids?: readonly string[];
  /** every workflow that is not archived */
  all?: boolean;
  /** write a file even when the version already has one */
  force?: boolean;
  includePinData?: boolean;
  source?: Source;
  /** workflows read and written at once (default EXPORT_BATCH_SIZE) */
  batchSize?: number;
  /** also every workflow the selected ones call, transitively; callees get the earlier files */
  withDependencies?: boolean;
  /** the environment values file (default: config.valuesFile) */
  valuesFile?: string;
  /** told what is to be written, then each file as it is written */
  onEvent?: (event: ExportEvent) => void;
}

export type ExportEvent = { type: "selected"; toExport: number; unchanged: number } | { type: "written"; file: ExportedFile };

/** Big enough to make the queries per workflow negligible, small enough to keep memory flat. */
export const EXPORT_BATCH_SIZE = 50;

export interface ExportedFile {
  file: string;
  path: string;
  workflowId: string;
  name: string;
  versionId: string;
}

export interface SkippedWorkflow {
  workflowId: string;
  name: string;
  versionId: string;
  /** the migration that already brings this version */
  existingFile: string;
}

export interface ExportResult {
  written: ExportedFile[];
  skipped: SkippedWorkflow[];
  /** --with-dependencies: the called workflows added to the selection */
  dependencies?: Array<{ workflowId: string; name: string }>;
  /** the values file against this environment's workflows (absent: no values file, or it is empty) */
  environmentValues?: EnvironmentValuesReport;
}

export async function exportWorkflows(config: Config, options: ExportOptions, clock: () => Date): Promise<ExportResult> {
  const names = [...new Set(options.names ?? [])];
  const ids = [...new Set(options.ids ?? [])];
  if (!options.all && names.length === 0 && ids.length === 0) {
    throw new UserError("name the workflows to export, or pass --id <id> or --all", ExitCode.USAGE);
  }
  if (options.all && (names.length > 0 || ids.length > 0)) {
    throw new UserError("--all exports every workflow: leave out names and --id", ExitCode.USAGE);
  }
  const toExport: WorkflowSummary[] = [];
  const result: ExportResult = { written: [], skipped: [] };
  try {
    return await exportSelected(config, { ...options, names, ids }, clock, toExport, result);
  } catch (error) {
    const reason = connectionLoss(error);
    if (reason === undefined) throw error;
    const written = new Set(result.written.map((w) => w.workflowId));
    throw new UserError(exportInterruptedMessage(reason, written.size, toExport.filter((s) => !written.has(s.id))));
  }
}

/** The export itself; `toExport` and `result` fill as it goes (read by the caller when it is cut short). */
async function exportSelected(
  config: Config,
  options: ExportOptions & { names: readonly string[]; ids: readonly string[] },
  clock: () => Date,
  toExport: WorkflowSummary[],
  result: ExportResult,
): Promise<ExportResult> {
  const { names, ids } = options;
  const values = await readValuesFile(options.valuesFile ?? config.valuesFile);
  const n8n = await withClient(config.databaseUrl, async (client) => {
    const schema = await requireN8nSchema(client, config.n8nSchema);
    if (values.length > 0) {
      result.environmentValues = { environment: config.envName, stale: await staleValues(client, config.n8nSchema, values, config.envName), foreign: [] };
    }
    return schema;
  });
  const environment = { name: config.envName, values };

  return withN8nPrisma(config.databaseUrl, config.n8nSchema, async (prisma) => {
    const selected = options.all
      ? await listWorkflowSummaries(prisma)
      : await listWorkflowSummaries(prisma, { names, ids, includeArchived: true });
    await checkSelection(selected, names, ids, () => listWorkflowNames(prisma));
    const summaries = options.withDependencies ? await withCalledWorkflows(prisma, selected) : selected;

    await mkdir(config.migrationsDir, { recursive: true });
    await removeStaleTempFiles(config.migrationsDir);
    const versions = await migratedVersions(config.migrationsDir);
    const allocator = createVersionAllocator(await listSqlFileNames(config.migrationsDir));
    if (options.withDependencies) {
      const chosen = new Set(selected.map((s) => s.id));
      result.dependencies = summaries.filter((s) => !chosen.has(s.id)).map((s) => ({ workflowId: s.id, name: s.name }));
    }
    for (const summary of summaries) {
      const existingFile = versions.get(summary.versionId);
      if (existingFile && !options.force) {
        result.skipped.push({ workflowId: summary.id, name: summary.name, versionId: summary.versionId, existingFile });
      } else {
        toExport.push(summary);
      }
    }
    const emit = options.onEvent ?? (() => {});
    emit({ type: "selected", toExport: toExport.length, unchanged: result.skipped.length });
    // A batch at a time: memory holds two batches of workflows and one of SQL, whatever the selection.
    const batches = readWorkflowBatches(prisma, n8n.features, toExport, {
      batchSize: options.batchSize ?? EXPORT_BATCH_SIZE,
      includePinData: options.includePinData === true,
    });
    for await (const batch of batches) {
      const files = batch.map(({ summary, workflow }) => {
        if (!workflow) throw new UserError(`workflow ${summary.id} ("${summary.name}") was deleted during the export; rerun`);
        return { workflow, file: allocator.next(clock(), workflow.name) };
      });
      for (const { workflow } of files) result.environmentValues?.foreign.push(...foreignValues(workflow, values, config.envName));
      const written = await Promise.all(files.map(({ workflow, file }) => writeMigration(config, n8n, workflow, file, options, environment)));
      for (const file of written) emit({ type: "written", file });
      result.written.push(...written);
    }
    return result;
  });
}

/** Every name and id must match: one line naming what is missing and what is close. */
async function checkSelection(
  summaries: readonly WorkflowSummary[],
  names: readonly string[],
  ids: readonly string[],
  allNames: () => Promise<string[]>,
): Promise<void> {
  const problems: string[] = [];
  const missingNames = names.filter((name) => !summaries.some((s) => s.name === name));
  const known = missingNames.length > 0 ? await allNames() : [];
  for (const name of missingNames) {
    problems.push(`no workflow named "${name}"${didYouMean(closeMatches(name, known))}`);
  }
  for (const id of ids.filter((id) => !summaries.some((s) => s.id === id))) problems.push(`no workflow with id ${id}`);
  for (const name of names) {
    const same = summaries.filter((s) => s.name === name);
    if (same.length > 1) problems.push(`"${name}" names ${same.length} workflows (ids ${same.map((s) => s.id).join(", ")}): use --id`);
  }
  if (problems.length > 0) throw new UserError(`${problems.join("; ")}; nothing written`, ExitCode.FAILURE);
}

async function writeMigration(
  config: Config,
  n8n: N8nSchema,
  workflow: ExportedWorkflow,
  file: string,
  options: ExportOptions,
  environment: WorkflowEnvironment,
): Promise<ExportedFile> {
  const target = await writeWorkflowMigration(config.migrationsDir, n8n, workflow, file, options.source ?? "dev", environment);
  return { file, path: target, workflowId: workflow.id, name: workflow.name, versionId: workflow.versionId };
}

/** The environment a workflow is read from and the values file: its file says whose values it holds. */
export interface WorkflowEnvironment {
  name: string;
  values: ValuesTable;
}

/** Renders the workflow's migration into `dir`/`file` atomically; returns the file's path. */
export async function writeWorkflowMigration(
  dir: string,
  n8n: N8nSchema,
  workflow: ExportedWorkflow,
  file: string,
  source: Source,
  environment?: WorkflowEnvironment,
): Promise<string> {
  const sql = renderWorkflowMigration(workflow, {
    migration: file,
    source,
    environment,
    n8n: describeSource({ generation: n8n.generation ?? 2, schema: n8n.schema }),
    generatedBy: GENERATED_BY,
  });
  const target = path.join(dir, file);
  await writeAtomically(target, sql);
  return target;
}

/**
 * Write beside the target, then rename: a reader never sees half a file. The temp name starts with a dot
 * and ends in .tmp, so neither Supabase CLI nor migrate-up ever reads it as a migration; a process killed
 * mid-write leaves it behind, and removeStaleTempFiles clears it on the next run.
 */
export async function writeAtomically(target: string, content: string): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    await writeFile(temp, content, { flag: "wx" });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

const TEMP_FILE = /^\..+\.sql\.(\d+)\.tmp$/;

/** Removes the temp files of writers that are gone (killed mid-write), so none is committed or kept. */
export async function removeStaleTempFiles(dir: string): Promise<void> {
  for (const file of await readdir(dir)) {
    const pid = TEMP_FILE.exec(file)?.[1];
    if (pid && !isRunning(Number(pid))) await rm(path.join(dir, file), { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
