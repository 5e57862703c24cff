// How a workflow migration tells its runner what it did: one NOTICE per workflow whose MESSAGE is a
// sentence for people (Supabase CLI users see it too) starting with "n8n-sync:", and whose DETAIL is this
// JSON. migrate-up collects them to print outcomes, flag conflicts and reload changed active workflows.

/** waiting: n8n's tables are not there yet; the file's statement waits to land (waiting.ts) */
export type Outcome = "inserted" | "updated" | "unchanged" | "skipped-conflict" | "overwrote-conflict" | "waiting";

/** remapped: same type+name found; bound: credential-map; missing/ambiguous: kept as in the file */
export type CredentialStatus = "remapped" | "bound" | "unchanged" | "missing" | "ambiguous";

export interface CredentialReport {
  node: string;
  type: string;
  name: string;
  status: CredentialStatus;
}

/**
 * What became of one thing the workflow points at: its team project, a folder of its path, a data
 * table, a called workflow, a $vars name, a node type (community package, availability policy), the
 * n8n version it was made on. `message` says it for people when it needs a look.
 */
export interface ReferenceReport {
  kind: "project" | "folder" | "dataTable" | "workflow" | "variable" | "nodeType" | "n8nVersion" | "environmentValue";
  /**
   * found: resolved as is; created: a folder made here; kept: moved here, left there (an environment
   * value: this environment has none, the source's stays); unchecked: an expression; outdated: a
   * community node type installed here below the node's typeVersion; denied: a node type this n8n's
   * policy denies in the project; older: this n8n is older than the one the file was made on (reported,
   * not unresolved); replaced: an environment value became this environment's; unknown: no environment
   * known here, values as written; switched: this database was recorded as another environment until now
   */
  status:
    | "found"
    | "unchanged"
    | "remapped"
    | "created"
    | "kept"
    | "missing"
    | "ambiguous"
    | "unpublished"
    | "unchecked"
    | "outdated"
    | "denied"
    | "older"
    | "replaced"
    | "unknown"
    | "switched";
  name?: string;
  node?: string;
  /** the id it has here (data table, folder) or keeps (called workflow) */
  id?: string;
  message?: string | null;
  /** environment values: the source environment's value and the one written here */
  from?: string;
  to?: string;
}

/**
 * Statuses of a reference that stays pointing at nothing, or at a node type this n8n cannot run
 * (migrate-up --fail-on-missing-references); apply-workflow.sql lists the same ones.
 */
export const UNRESOLVED_STATUSES: ReadonlyArray<ReferenceReport["status"]> = ["missing", "ambiguous", "unpublished", "outdated", "denied"];
const UNRESOLVED: ReadonlySet<ReferenceReport["status"]> = new Set(UNRESOLVED_STATUSES);

export function isUnresolved(ref: ReferenceReport): boolean {
  return UNRESOLVED.has(ref.status);
}

/** The sentences of the references a report leaves unresolved. */
export function unresolvedReferences(report: Pick<WorkflowReport, "references">): string[] {
  return (report.references ?? []).filter(isUnresolved).map((ref) => ref.message ?? `${ref.status} ${ref.kind} ${ref.name ?? ""}`.trim());
}

export interface WorkflowReport {
  migration: string;
  workflowId: string;
  name: string;
  outcome: Outcome;
  /** why this outcome, e.g. "target edited since last sync; incoming updatedAt is newer" */
  reason: string;
  incomingVersionId: string;
  /** versionId the target had before (null for a new workflow) */
  previousVersionId: string | null;
  /** the workflow is active and now publishes the new version: n8n must reload it */
  reloadNeeded: boolean;
  /** n8n 2.3x+: the file queued n8n's own publication (workflow_publication_outbox) in its transaction */
  publicationQueued?: boolean;
  /** the version the file published (an active workflow moved to it), else null */
  publishedVersionId?: string | null;
  /** the version the workflow published before the file (activeVersionId), to put back if n8n refuses the new one */
  previousPublishedVersionId?: string | null;
  credentials: CredentialReport[];
  /** absent in reports of files written before references travelled */
  references?: ReferenceReport[];
}

export const NOTICE_PREFIX = "n8n-sync:";

export function isConflict(outcome: Outcome): boolean {
  return outcome === "skipped-conflict" || outcome === "overwrote-conflict";
}

/** The report carried by a NOTICE, or undefined for any other notice. */
export function parseNotice(notice: { message?: string; detail?: string }): WorkflowReport | undefined {
  if (!notice.message?.startsWith(NOTICE_PREFIX) || !notice.detail) return undefined;
  try {
    const report = JSON.parse(notice.detail) as WorkflowReport;
    return typeof report.workflowId === "string" && typeof report.outcome === "string" ? report : undefined;
  } catch {
    return undefined;
  }
}
