// Pure: the checks and splits of the export pipeline's selection (export-pipeline.ts).
import type { WorkflowSummary } from "../n8n/read.ts";
import { closeMatches, didYouMean } from "./close-matches.ts";

export interface Asked {
  names: readonly string[];
  ids: readonly string[];
}

/**
 * What is wrong with a selection (an error: nothing is exported then): names and ids that matched no
 * workflow, each name with its close matches among `known`, and names that match several workflows.
 */
export function selectionProblems(asked: Asked, found: readonly WorkflowSummary[], known: readonly string[] = []): string[] {
  const names = new Set(found.map((w) => w.name));
  const ids = new Set(found.map((w) => w.id));
  return [
    ...asked.names.filter((name) => !names.has(name)).map((name) => `no workflow named ${JSON.stringify(name)}${didYouMean(closeMatches(name, known))}`),
    ...asked.ids.filter((id) => !ids.has(id)).map((id) => `no workflow with id ${id}`),
    ...asked.names.flatMap((name) => {
      const same = found.filter((s) => s.name === name);
      return same.length > 1 ? [`"${name}" names ${same.length} workflows (ids ${same.map((s) => s.id).join(", ")}): use --id`] : [];
    }),
  ];
}

export interface Partitioned {
  toExport: WorkflowSummary[];
  alreadyExported: Array<{ workflow: WorkflowSummary; file: string }>;
}

/** Splits off the workflows whose current versionId already has a migration (versionId -> file). */
export function partitionByExisting(found: readonly WorkflowSummary[], migrated: ReadonlyMap<string, string>): Partitioned {
  const result: Partitioned = { toExport: [], alreadyExported: [] };
  for (const workflow of found) {
    const file = migrated.get(workflow.versionId);
    if (file === undefined) result.toExport.push(workflow);
    else result.alreadyExported.push({ workflow, file });
  }
  return result;
}
