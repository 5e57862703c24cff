// The one export pipeline behind both exports (export from dev, export-prod from production): select ->
// check -> dependencies -> skip what the folder already has -> allocate names -> write, a bounded batch
// at a time. The two differ only in their source (a read-only production session) and in what they do
// with each workflow (export-prod scans it for secrets and summarises it): `exportOne`.
import pLimit from "p-limit";
import type pg from "pg";
import { connectionLoss } from "../db/db.ts";
import { UserError } from "../errors/errors.ts";
import { readNodeTypeSource } from "../n8n/node-types.ts";
import type { N8nPrisma } from "../n8n/prisma.ts";
import { listWorkflowNames, listWorkflowSummaries, readWorkflowBatches, withCalledWorkflows, type SummaryFilter, type WorkflowSummary } from "../n8n/read.ts";
import type { N8nSchema } from "../n8n/schema.ts";
import type { ExportedWorkflow } from "../n8n/workflow.ts";
import { listSqlFileNames, makeMigrationsFolder, migratedVersions, readWorkflowMigrations, type ExistingMigration } from "./existing.ts";
import { removeStaleTempFiles } from "./write-migration.ts";
import { exportInterruptedMessage } from "./interrupted-export.ts";
import { partitionByExisting, selectionProblems } from "./export-selection.ts";
import { foreignValues, staleValues, type EnvironmentValuesReport } from "./environment-check.ts";
import type { WorkflowEnvironment } from "./write-migration.ts";
import { createVersionAllocator, type VersionAllocator } from "./naming.ts";

/** Big enough to make the queries per workflow negligible, small enough to keep memory flat. */
export const EXPORT_BATCH_SIZE = 50;

export interface PipelineSource {
  prisma: N8nPrisma;
  /** a plain connection of the same database (what Prisma's model does not cover: installed node types) */
  client: pg.Client;
  schema: N8nSchema;
}

export interface PipelineOptions<Entry extends { file?: string | undefined }> {
  source: PipelineSource;
  migrationsDir: string;
  /** which workflows (names and ids are also checked: each must match) */
  filter: SummaryFilter;
  /** appended to "no workflow named ..." (e.g. how to include archived ones) */
  notFoundHint?: string;
  /** also every workflow the selected ones call, transitively; callees get the earlier files */
  withDependencies?: boolean;
  /** write a file even when the version already has one */
  force?: boolean;
  /** workflows read at once (default EXPORT_BATCH_SIZE) */
  batchSize?: number;
  /** workflows of a batch handled at once (default: the whole batch) */
  concurrency?: number;
  includePinData?: boolean;
  /** told what is to be written before anything is (awaited: e.g. opening what exportOne needs) */
  onSelected?(selected: { matched: number; toExport: number; alreadyExported: number }, run: PipelineRun): Promise<void> | void;
  /** the environment read and its values file: files hold its values and say so; stale and foreign values are reported */
  environment?: WorkflowEnvironment | undefined;
  /** told of each entry in selection order, once its batch is done */
  onExported?(entry: Entry): void;
  /** one workflow (with the source's n8n version and community node types): render and write it (or hold it back); `file` set when a file was written */
  exportOne(workflow: ExportedWorkflow, run: PipelineRun): Promise<Entry>;
}

export interface PipelineRun {
  /** the workflow migrations in the folder, in file order */
  existing: readonly ExistingMigration[];
  /** file versions of the folder's files and this run's (never two alike) */
  versions: VersionAllocator;
  /** workflow id -> its migrations in the folder, oldest first */
  earlier: ReadonlyMap<string, readonly ExistingMigration[]>;
}

export interface PipelineResult<Entry> {
  /** the selection, dependencies included */
  found: WorkflowSummary[];
  /** the called workflows --with-dependencies added */
  dependencies: WorkflowSummary[];
  /** workflows whose current version already has a file (not with `force`) */
  alreadyExported: Array<{ workflow: WorkflowSummary; file: string }>;
  /** what exportOne returned, in selection order */
  exported: Entry[];
  /** the values file against the source's workflows (absent: no values file, or it is empty) */
  environmentValues?: EnvironmentValuesReport;
}

/** Runs the pipeline; a lost connection becomes one line saying what was written and what was not. */
export async function runExportPipeline<Entry extends { file?: string | undefined }>(options: PipelineOptions<Entry>): Promise<PipelineResult<Entry>> {
  const { prisma, schema } = options.source;
  let toExport: WorkflowSummary[] = [];
  const done = new Set<string>();
  let filesWritten = 0;
  try {
    const selected = await listWorkflowSummaries(prisma, options.filter);
    await checkSelection(prisma, options.filter, selected, options.notFoundHint ?? "");
    const found = options.withDependencies ? await withCalledWorkflows(prisma, selected) : selected;
    const chosen = new Set(selected.map((s) => s.id));

    await makeMigrationsFolder(options.migrationsDir);
    await removeStaleTempFiles(options.migrationsDir);
    const existing = await readWorkflowMigrations(options.migrationsDir);
    const partition = partitionByExisting(found, options.force ? new Map() : migratedVersions(existing));
    const alreadyExported = partition.alreadyExported;
    toExport = partition.toExport;
    // Recorded in every file: the target reports node types it lacks or forbids (apply-workflow.sql step 9c).
    const nodeTypes = await readNodeTypeSource(options.source.client, schema.schema);
    const environment = options.environment;
    const environmentValues: EnvironmentValuesReport | undefined =
      environment && environment.values.length > 0
        ? { environment: environment.name, stale: await staleValues(options.source.client, schema.schema, environment.values, environment.name), foreign: [] }
        : undefined;
    const run: PipelineRun = { existing, versions: createVersionAllocator(await listSqlFileNames(options.migrationsDir)), earlier: byWorkflow(existing) };
    await options.onSelected?.({ matched: found.length, toExport: toExport.length, alreadyExported: alreadyExported.length }, run);
    const limit = pLimit(options.concurrency ?? Number.POSITIVE_INFINITY);
    const exported: Entry[] = [];
    // A batch at a time, each read in a fixed number of queries: memory holds two batches, whatever the
    // selection; within a batch `concurrency` workflows are handled at once.
    const batches = readWorkflowBatches(prisma, schema.features, toExport, {
      batchSize: options.batchSize ?? EXPORT_BATCH_SIZE,
      includePinData: options.includePinData === true,
    });
    for await (const batch of batches) {
      const entries = await Promise.all(
        batch.map(({ summary, workflow }) =>
          limit(async () => {
            if (!workflow) throw new UserError(`workflow ${summary.id} ("${summary.name}") was deleted during the export; rerun`);
            if (environmentValues) environmentValues.foreign.push(...foreignValues(workflow, environment!.values, environment!.name));
            const entry = await options.exportOne({ ...workflow, nodeTypes }, run);
            done.add(workflow.id);
            if (entry.file) filesWritten++;
            return entry;
          }),
        ),
      );
      for (const entry of entries) options.onExported?.(entry);
      exported.push(...entries);
    }
    return { found, dependencies: found.filter((s) => !chosen.has(s.id)), alreadyExported, exported, ...(environmentValues ? { environmentValues } : {}) };
  } catch (error) {
    const reason = connectionLoss(error);
    if (reason === undefined) throw error;
    throw new UserError(exportInterruptedMessage(reason, filesWritten, toExport.filter((s) => !done.has(s.id))));
  }
}

/** Every name and id must match (with close names suggested), and a name must name one workflow; nothing is written otherwise. */
async function checkSelection(prisma: N8nPrisma, filter: SummaryFilter, found: readonly WorkflowSummary[], hint: string): Promise<void> {
  const asked = { names: filter.names ?? [], ids: filter.ids ?? [] };
  const missingNames = asked.names.filter((name) => !found.some((w) => w.name === name));
  const problems = selectionProblems(asked, found, missingNames.length > 0 ? await listWorkflowNames(prisma) : []);
  if (problems.length > 0) throw new UserError(`${problems.join("; ")}${missingNames.length > 0 ? hint : ""}; nothing written`);
}

function byWorkflow(migrations: readonly ExistingMigration[]): Map<string, ExistingMigration[]> {
  const map = new Map<string, ExistingMigration[]>();
  for (const migration of migrations) {
    const id = migration.header.workflowId;
    if (id) map.set(id, [...(map.get(id) ?? []), migration]);
  }
  return map;
}
