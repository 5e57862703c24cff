// n8n:status, the library function behind scripts/status.ts: which migration files this environment
// has applied, which are pending or drifted (the runner's own plan), and per workflow whether the
// database and the newest migration file of it agree. Reads only; takes no lock.
import type pg from "pg";
import { withClient } from "../db.ts";
import { loadMigration } from "../migrations/file.ts";
import { classifyFileName, listMigrationFiles, type MigrationFolder } from "../migrations/files.ts";
import { readHistory, statementsDigest } from "../migrations/history.ts";
import { planFindings, planMigrations } from "../migrations/plan.ts";
import { withN8nPrisma } from "../n8n/prisma.ts";
import { hasPublicationOutbox, readPublicationStates, type WorkflowPublicationState } from "../n8n/publication.ts";
import { listWorkflowSummaries } from "../n8n/read.ts";
import { inspectN8nSchema, notReadyMessage } from "../n8n/schema.ts";
import { readWorkflowMigrations } from "../workflows/existing.ts";
import { readLastSynced, type LastSynced } from "../workflows/last-synced.ts";
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
  return withClient(options.databaseUrl, (client) => statusOn(client, folder, options), { applicationName: "n8n-sync status" });
}

async function statusOn(client: pg.Client, folder: MigrationFolder, options: StatusOptions): Promise<StatusResult> {
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
    publications: [],
  };
  const n8n = await inspectN8nSchema(client, options.schema);
  if (!n8n.ready) return { ...result, n8nNotReady: notReadyMessage(options.schema) };
  const [dbWorkflows, newestFiles] = await Promise.all([
    readDbWorkflows(client, options),
    newestFilePerWorkflow(options.migrationsDir, appliedVersions),
  ]);
  const names = new Map(dbWorkflows.map((w) => [w.id, w.name]));
  const unresolved = dbWorkflows.flatMap((w) => (w.unresolved ? [{ ...w.unresolved, workflowId: w.id, name: names.get(w.id)! }] : []));
  const publications = (await hasPublicationOutbox(client, options.schema)) ? await readPublicationStates(client, options.schema) : [];
  return { ...result, workflows: compareWorkflows(dbWorkflows, newestFiles), unresolved, publications };
}

async function readDbWorkflows(client: pg.Client, options: StatusOptions): Promise<Array<DbWorkflow & { unresolved?: { file: string; references: string[] } }>> {
  const [summaries, synced] = await Promise.all([
    withN8nPrisma(options.databaseUrl, options.schema, (prisma) => listWorkflowSummaries(prisma, { includeArchived: true })),
    readLastSynced(client, options.schema),
  ]);
  return summaries.map((s) => ({
    id: s.id,
    name: s.name,
    versionId: s.versionId,
    updatedAt: new Date(s.updatedAt),
    lastSyncedVersionId: synced.get(s.id)?.versionId ?? null,
    ...unresolvedOf(synced.get(s.id)),
  }));
}

/** What the newest synced apply left unresolved, when it left anything. */
function unresolvedOf(synced: LastSynced | undefined): { unresolved?: { file: string; references: string[] } } {
  return synced?.versionId && synced.unresolved.length > 0 ? { unresolved: { file: synced.file, references: synced.unresolved } } : {};
}

async function newestFilePerWorkflow(migrationsDir: string, appliedVersions: ReadonlySet<string>): Promise<FileWorkflow[]> {
  const newest = new Map<string, FileWorkflow>();
  // File order is version order: a later file of the same workflow replaces the earlier one.
  for (const { file, header } of await readWorkflowMigrations(migrationsDir)) {
    const name = classifyFileName(file);
    if (name.kind !== "migration" || !header.workflowId || !header.versionId || !header.lastUpdated) continue;
    newest.set(header.workflowId, {
      id: header.workflowId,
      name: header.workflowName ?? header.workflowId,
      versionId: header.versionId,
      updatedAt: new Date(header.lastUpdated),
      file,
      applied: appliedVersions.has(name.version),
    });
  }
  return [...newest.values()];
}
