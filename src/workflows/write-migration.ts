// Writing a workflow's migration file: rendered, then put in place atomically (a reader never sees half
// a file; a killed writer's temp file is removed by the next run). Shared by export, export-prod and rollback.
import { readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { N8nSchema } from "../n8n/schema.ts";
import { describeSource, type ExportedWorkflow } from "../n8n/workflow.ts";
import { GENERATED_BY } from "./generated-by.ts";
import type { Source } from "./header.ts";
import type { ValuesTable } from "./environment-values.ts";
import { renderWorkflowMigration, type RenderOptions } from "./render.ts";

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
  extra: Pick<RenderOptions, "rollsBack" | "environment"> = {},
): Promise<string> {
  const sql = renderWorkflowMigration(workflow, {
    migration: file,
    source,
    n8n: describeSource({ generation: n8n.generation ?? 2, schema: n8n.schema }),
    generatedBy: GENERATED_BY,
    ...extra,
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
