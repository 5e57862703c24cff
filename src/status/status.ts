// n8n:status, the library function behind scripts/status.ts: which migration files this environment
// has applied, which are pending or drifted (the runner's own plan), and per workflow whether the
// database and the newest migration file of it agree. Reads only; takes no lock.
import type pg from "pg";
import { withDatabase, type Database } from "../db/db.ts";
import { loadMigration } from "../migrations/file.ts";
import { classifyFileName, listMigrationFiles, type MigrationFolder } from "../migrations/files.ts";
import { readHistory, statementsDigest } from "../migrations/history.ts";
import { planFindings, planMigrations } from "../migrations/plan.ts";
import { withN8nPrisma } from "../n8n/prisma.ts";
import { hasPublicationOutbox, readPublicationStates, type WorkflowPublicationState } from "../n8n/publication.ts";
import { listWorkflowSummaries } from "../n8n/read.ts";
import { inspectN8nSchema, notReadyMessage, requireKnownColumns } from "../n8n/schema.ts";
import { readWorkflowMigrations } from "../workflows/existing.ts";
import { readLastSynced, type LastSynced } from "../workflows/last-synced.ts";
import { readTargetHistory } from "../workflows/target-history.ts";
import { readWaiting, type WaitingWorkflow } from "../workflows/waiting.ts";
import { compareWorkflows, type DbWorkflow, type FileWorkflow, type WorkflowAgreement } from "./agreement.ts";

export interface StatusOptions {
  databaseUrl: string;
  /** n8n's schema */
  schema: string;
  migrationsDir: string;
}

export interface StatusResult {
  /** file names, in version order */
  applied: string[];
  pending: string[];
  /** pending files older than the newest applied one */
  outOfOrder: string[];
  /** applied files whose content changed since (migrate-up stops on them) */
  drifted: string[];
  /** applied versions with no local file */
  missingLocal: string[];
  /** folder warnings (names that look like a mistake, duplicate versions) */
  warnings: string[];
  /** undefined when n8n's tables are there; else why workflows were not compared */
  n8nNotReady?: string;
  workflows: WorkflowAgreement[];
  /** per workflow, what its last applied file left unresolved here (migration_metadata.unresolved) */
  unresolved: UnresolvedReferences[];
  /** applied workflow files waiting for n8n's tables (the next migrate-up that finds them lands them) */
  waiting: WaitingWorkflow[];
  /** n8n 2.3x+: per published workflow, its publication as n8n recorded it (else empty) */
  publications: WorkflowPublicationState[];
}

export interface UnresolvedReferences {
  workflowId: string;
  name: string;
  /** the migration that reported them */
  file: string;
  references: string[];
}

export async function readStatus(options: StatusOptions): Promise<StatusResult> {
  const folder = await listMigrationFiles(options.migrationsDir);
  return withDatabase(options.databaseUrl, (db) => db.withClient((client) => statusOn(db, client, folder, options)), { applicationName: "n8n-sync status" });
}

async function statusOn(db: Database, client: pg.Client, folder: MigrationFolder, options: StatusOptions): Promise<StatusResult> {
  const history = await readHistory(client);
  const appliedVersions = new Set(history.applied.map((row) => row.version));
  const digests = new Map<string, string>();
  for (const migration of folder.migrations) {
    if (!appliedVersions.has(migration.version)) continue;
    digests.set(migration.version, statementsDigest((await loadMigration(migration)).statements.map((s) => s.text)));
  }
  const plan = planMigrations(folder.migrations, history.applied, digests);
  const pending = new Set(plan.pending);
  const result: StatusResult = {
    applied: folder.migrations.filter((m) => !pending.has(m)).map((m) => m.file),
    pending: plan.pending.map((m) => m.file),
    ...planFindings(plan),
    warnings: [
      ...folder.warnings,
      ...folder.duplicateVersions.map((v) => `more than one migration file has version ${v}: give each its own timestamp`),
    ],
    workflows: [],
    unresolved: [],
    waiting: await readWaiting(client),
    publications: [],
  };
  const n8n = await inspectN8nSchema(client, options.schema);
  if (!n8n.ready) return { ...result, n8nNotReady: notReadyMessage(options.schema) };
  requireKnownColumns(n8n);
  const newestFiles = await newestFilePerWorkflow(options.migrationsDir, appliedVersions);
  const pendingVersions = newestFiles.flatMap((f) => (f.applied ? [] : [f, ...(f.earlierPending ?? [])].map((p) => p.versionId)));
  const dbWorkflows = await readDbWorkflows(db, client, options, pendingVersions);
  const names = new Map(dbWorkflows.map((w) => [w.id, w.name]));
  const unresolved = dbWorkflows.flatMap((w) => (w.unresolved ? [{ ...w.unresolved, workflowId: w.id, name: names.get(w.id)! }] : []));
  const publications = (await hasPublicationOutbox(client, options.schema)) ? await readPublicationStates(client, options.schema) : [];
  return { ...result, workflows: compareWorkflows(dbWorkflows, newestFiles), unresolved, publications };
}

async function readDbWorkflows(
  db: Database,
  client: pg.Client,
  options: StatusOptions,
  pendingVersions: readonly string[],
): Promise<Array<DbWorkflow & { unresolved?: { file: string; references: string[] } }>> {
  const [summaries, synced, history] = await Promise.all([
    withN8nPrisma(db, options.schema, (prisma) => listWorkflowSummaries(prisma, { includeArchived: true })),
    readLastSynced(client, options.schema),
    readTargetHistory(client, options.schema, pendingVersions),
  ]);
  return summaries.map((s) => ({
    id: s.id,
    name: s.name,
    versionId: s.versionId,
    updatedAt: new Date(s.updatedAt),
    lastSyncedVersionId: synced.get(s.id)?.versionId ?? null,
    history: history.get(s.id) ?? new Set(),
    ...unresolvedOf(synced.get(s.id)),
  }));
}

/** What the newest synced apply left unresolved, when it left anything. */
function unresolvedOf(synced: LastSynced | undefined): { unresolved?: { file: string; references: string[] } } {
  return synced?.versionId && synced.unresolved.length > 0 ? { unresolved: { file: synced.file, references: synced.unresolved } } : {};
}

async function newestFilePerWorkflow(migrationsDir: string, appliedVersions: ReadonlySet<string>): Promise<FileWorkflow[]> {
  const newest = new Map<string, FileWorkflow>();
  // File order is version order: a later file of the same workflow replaces the earlier one, and the
  // pending ones before it are kept: migrate-up applies them first.
  for (const { file, header } of await readWorkflowMigrations(migrationsDir)) {
    const name = classifyFileName(file);
    if (name.kind !== "migration" || !header.workflowId || !header.versionId || !header.lastUpdated) continue;
    const before = newest.get(header.workflowId);
    const earlierPending = before ? [...(before.earlierPending ?? []), ...(before.applied ? [] : [before])] : [];
    newest.set(header.workflowId, {
      id: header.workflowId,
      name: header.workflowName ?? header.workflowId,
      versionId: header.versionId,
      updatedAt: new Date(header.lastUpdated),
      file,
      applied: appliedVersions.has(name.version),
      earlierPending: earlierPending.map(({ file, versionId, updatedAt }) => ({ file, versionId, updatedAt })),
    });
  }
  return [...newest.values()];
}
