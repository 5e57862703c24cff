// Pure: does an environment's database agree with the newest migration file of each workflow? Decided
// from versionIds and the migration history, with the same conflict rule the files apply
// (replayFiles: every pending file of the workflow in order, as migrate-up applies them), so "conflict"
// here means migrate-up would report one.
import { docPath } from "../package/package-files.ts";
import { replayFiles } from "../workflows/conflict.ts";

export type Agreement = "same" | "db-ahead" | "file-ahead" | "conflict" | "only-in-db" | "only-in-files";

/** A workflow as the environment's database holds it. */
export interface DbWorkflow {
  id: string;
  name: string;
  versionId: string;
  updatedAt: Date;
  /** the version n8n-sync last wrote or confirmed here (migration_metadata), null when never synced */
  lastSyncedVersionId: string | null;
  /** the pending files' versionIds its workflow_history holds (it has them or a descendant) */
  history?: ReadonlySet<string>;
}

/** The newest migration file of a workflow, from its header. */
export interface FileWorkflow {
  id: string;
  name: string;
  versionId: string;
  /** the header's Last Updated */
  updatedAt: Date;
  file: string;
  /** its version is in the migration history of this database */
  applied: boolean;
  /** the workflow's other pending files, older than this one, in the order migrate-up applies them */
  earlierPending?: ReadonlyArray<Pick<FileWorkflow, "file" | "versionId" | "updatedAt">>;
}

export interface WorkflowAgreement {
  workflowId: string;
  name: string;
  agreement: Agreement;
  /** for people: why, and what to do when it needs attention */
  detail: string;
  dbVersionId: string | null;
  fileVersionId: string | null;
  file: string | null;
}

export function compareWorkflow(db: DbWorkflow | undefined, file: FileWorkflow | undefined): WorkflowAgreement {
  if (!db && !file) throw new Error("compareWorkflow needs a database workflow or a file");
  const base = {
    workflowId: (db ?? file)!.id,
    name: (db ?? file)!.name,
    dbVersionId: db?.versionId ?? null,
    fileVersionId: file?.versionId ?? null,
    file: file?.file ?? null,
  };
  if (!file) return { ...base, agreement: "only-in-db", detail: "no migration file: export it to share it" };
  if (!db) {
    return {
      ...base,
      agreement: "only-in-files",
      detail: file.applied ? `${file.file} was applied, then the workflow was deleted here` : `${file.file} is pending: migrate-up adds it`,
    };
  }
  if (db.versionId === file.versionId) return { ...base, agreement: "same", detail: `matches ${file.file}` };
  if (file.applied) return { ...base, agreement: "db-ahead", detail: `edited here since ${file.file}: export it to share the change` };
  const pending = [...(file.earlierPending ?? []), file];
  const decisions = replayFiles({ ...db, history: db.history ?? new Set() }, pending);
  const conflictAt = decisions.findIndex((d) => d.action === "overwrite-conflict" || d.action === "skip-conflict");
  if (conflictAt === -1) {
    if (decisions.at(-1)!.action === "unchanged") {
      return { ...base, agreement: "db-ahead", detail: `already has a newer version than ${file.file} (pending, changes nothing here): export it to share the change` };
    }
    return { ...base, agreement: "file-ahead", detail: `${file.file} is pending: migrate-up updates it` };
  }
  const decision = decisions[conflictAt]!;
  const verdict = decision.action === "overwrite-conflict" ? "migrate-up would overwrite the edit here" : "migrate-up would keep this database's version";
  return {
    ...base,
    agreement: "conflict",
    detail: `${pending[conflictAt]!.file} is pending and ${decision.reason}: ${verdict} (see ${docPath("conflict-resolution.md")})`,
  };
}

/** One entry per workflow in either place, conflicts first, then by name. */
export function compareWorkflows(db: readonly DbWorkflow[], newestFiles: readonly FileWorkflow[]): WorkflowAgreement[] {
  const files = new Map(newestFiles.map((f) => [f.id, f]));
  const seen = new Set<string>();
  const entries: WorkflowAgreement[] = [];
  for (const workflow of db) {
    seen.add(workflow.id);
    entries.push(compareWorkflow(workflow, files.get(workflow.id)));
  }
  for (const file of newestFiles) if (!seen.has(file.id)) entries.push(compareWorkflow(undefined, file));
  const rank = (a: Agreement) => (a === "conflict" ? 0 : 1);
  return entries.sort((a, b) => rank(a.agreement) - rank(b.agreement) || a.name.localeCompare(b.name) || a.workflowId.localeCompare(b.workflowId));
}
