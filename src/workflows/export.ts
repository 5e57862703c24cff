// Export: the chosen workflows of an environment's n8n -> one migration file each in MIGRATIONS_DIR.
// Everything is checked before anything is written (unknown names fail with suggestions); a version
// that already has a migration is not exported again unless forced; each file appears atomically. The
// selection is read a bounded batch at a time (the next one while the current one is written).
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../cli/errors.ts";
import { ExitCode } from "../cli/exit-codes.ts";
import type { Config } from "../config.ts";
import { withClient } from "../db.ts";
import { withN8nPrisma } from "../n8n/prisma.ts";
import { listWorkflowNames, listWorkflowSummaries, readWorkflowBatches, type WorkflowSummary } from "../n8n/read.ts";
import { inspectN8nSchema, notReadyMessage, type N8nSchema } from "../n8n/schema.ts";
import { closeMatches } from "./close-matches.ts";
import { migratedVersions, listMigrationFiles } from "./existing.ts";
import { GENERATED_BY } from "./generated-by.ts";
import type { Source } from "./header.ts";
import { createVersionAllocator } from "./naming.ts";
import { renderWorkflowMigration } from "./render.ts";
import { describeSource, type ExportedWorkflow } from "./workflow.ts";

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
  const n8n = await withClient(config.databaseUrl, (client) => inspectN8nSchema(client, config.n8nSchema));
  if (!n8n.ready) throw new UserError(notReadyMessage(config.n8nSchema), ExitCode.N8N_NOT_READY);

  return withN8nPrisma(config.databaseUrl, config.n8nSchema, async (prisma) => {
    const summaries = options.all
      ? await listWorkflowSummaries(prisma)
      : await listWorkflowSummaries(prisma, { names, ids, includeArchived: true });
    await checkSelection(summaries, names, ids, () => listWorkflowNames(prisma));

    await mkdir(config.migrationsDir, { recursive: true });
    const versions = await migratedVersions(config.migrationsDir);
    const allocator = createVersionAllocator(await listMigrationFiles(config.migrationsDir));
    const result: ExportResult = { written: [], skipped: [] };
    const toExport: WorkflowSummary[] = [];
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
      const written = await Promise.all(files.map(({ workflow, file }) => writeMigration(config, n8n, workflow, file, options)));
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
    const close = closeMatches(name, known);
    problems.push(`no workflow named "${name}"${close.length > 0 ? ` (did you mean ${close.map((c) => `"${c}"`).join(", ")}?)` : ""}`);
  }
  for (const id of ids.filter((id) => !summaries.some((s) => s.id === id))) problems.push(`no workflow with id ${id}`);
  for (const name of names) {
    const same = summaries.filter((s) => s.name === name);
    if (same.length > 1) problems.push(`"${name}" names ${same.length} workflows (ids ${same.map((s) => s.id).join(", ")}): use --id`);
  }
  if (problems.length > 0) throw new UserError(`${problems.join("; ")}; nothing written`, ExitCode.FAILURE);
}

async function writeMigration(config: Config, n8n: N8nSchema, workflow: ExportedWorkflow, file: string, options: ExportOptions): Promise<ExportedFile> {
  const target = await writeWorkflowMigration(config.migrationsDir, n8n, workflow, file, options.source ?? "dev");
  return { file, path: target, workflowId: workflow.id, name: workflow.name, versionId: workflow.versionId };
}

/** Renders the workflow's migration into `dir`/`file` atomically; returns the file's path. */
export async function writeWorkflowMigration(dir: string, n8n: N8nSchema, workflow: ExportedWorkflow, file: string, source: Source): Promise<string> {
  const sql = renderWorkflowMigration(workflow, {
    migration: file,
    source,
    n8n: describeSource({ generation: n8n.generation ?? 2, schema: n8n.schema }),
    generatedBy: GENERATED_BY,
  });
  const target = path.join(dir, file);
  await writeAtomically(target, sql);
  return target;
}

/** Write beside the target, then rename: a reader never sees half a file, a crash leaves none. */
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
