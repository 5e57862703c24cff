// export-prod, the library function behind scripts/export-prod.ts: production's recently changed (or
// named) workflows -> one reviewable `<version>_prod_sync_<slug>.sql` each, plus the Markdown summary of
// the run. Production is read through a read-only session; pinData and staticData are never read.
// Memory stays bounded: the selection is a list of light summaries, read in full a batch at a time.
// A workflow with an unallowed secret gets no file.
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import pLimit from "p-limit";
import { UserError } from "../errors.ts";
import { listWorkflowNames, listWorkflowSummaries, readWorkflowBatches, withCalledWorkflows, type WorkflowSummary } from "../n8n/read.ts";
import { closeMatches, didYouMean } from "../workflows/close-matches.ts";
import { EXPORT_BATCH_SIZE, removeStaleTempFiles, writeWorkflowMigration, type WorkflowEnvironment } from "../workflows/export.ts";
import { exportInterruptedMessage } from "../workflows/interrupted-export.ts";
import { connectionLoss } from "../n8n/prisma.ts";
import { listSqlFileNames, readWorkflowMigrations, type ExistingMigration } from "../workflows/existing.ts";
import { GENERATED_BY } from "../workflows/generated-by.ts";
import type { WorkflowHeader } from "../workflows/header.ts";
import { createVersionAllocator, PROD_SYNC_PREFIX, type VersionAllocator } from "../workflows/naming.ts";
import { describeSource, type ExportedWorkflow } from "../n8n/workflow.ts";
import { isAllowed, type Allowlist } from "../secrets/allowlist.ts";
import { openDevChecker, noDevChecker, type DevChecker, type DevDatabase } from "./dev-check.ts";
import { readMigrationWorkflowAs } from "../workflows/read-environment.ts";
import { valuesByName } from "../workflows/environment-values.ts";
import { diffWorkflows } from "../diff/workflow-diff.ts";
import { locateSecrets, maskValues } from "../secrets/scan.ts";
import { describeSelection, partitionByExisting, selectionFilter, unmatched, type Selection } from "./select.ts";
import { withReadOnlySource, type ReadOnlySource } from "./source.ts";
import { renderSummary, type ReviewedFinding, type SummaryWorkflow } from "./summary.ts";

export const DEFAULT_CONCURRENCY = 4;

export interface ExportProdOptions {
  /** the environment read (for the summary), e.g. "production" */
  envName: string;
  databaseUrl: string;
  schema: string;
  migrationsDir: string;
  selection: Selection;
  /** workflows checked, rendered and written at once (default 4: gentle on a production database) */
  concurrency?: number;
  allowlist?: Allowlist;
  /** write workflows with findings anyway (the findings are still listed) */
  allowSecrets?: boolean;
  /** also every workflow the selected ones call, transitively; callees get the earlier files */
  withDependencies?: boolean;
  /** the environment values file's table: files hold production's values and say so (default: none) */
  values?: WorkflowEnvironment["values"];
  /** compare with this dev database for local edits that would conflict */
  dev?: DevDatabase | undefined;
  clock?: () => Date;
  onEvent?: (event: ExportProdEvent) => void;
}

export type ExportProdEvent =
  | { type: "selected"; matched: number; toExport: number; alreadyExported: number }
  | { type: "exported"; workflow: SummaryWorkflow };

export interface ExportProdResult {
  matched: number;
  written: number;
  alreadyExported: number;
  blocked: number;
  /** findings that blocked a file */
  unallowedFindings: number;
  /** file names written, in version order */
  files: string[];
  workflows: SummaryWorkflow[];
  /** the Markdown review summary */
  summary: string;
}

export async function exportProd(options: ExportProdOptions): Promise<ExportProdResult> {
  return withReadOnlySource(options.databaseUrl, options.schema, (source) => exportFrom(source, options));
}

async function exportFrom(source: ReadOnlySource, options: ExportProdOptions): Promise<ExportProdResult> {
  const clock = options.clock ?? (() => new Date());
  let dev: DevChecker | undefined;
  let toExport: WorkflowSummary[] = [];
  const done = new Set<string>();
  let filesWritten = 0;
  try {
    const selected = await listWorkflowSummaries(source.prisma, selectionFilter(options.selection, clock()));
    await checkSelection(source, options.selection, selected);
    const found = options.withDependencies ? await withCalledWorkflows(source.prisma, selected) : selected;
    await mkdir(options.migrationsDir, { recursive: true });
    await removeStaleTempFiles(options.migrationsDir);
    const existing = await readWorkflowMigrations(options.migrationsDir);
    const migrated = new Map(existing.flatMap((m) => (m.header.versionId ? [[m.header.versionId, m.file] as const] : [])));
    const partition = partitionByExisting(found, migrated);
    const alreadyExported = partition.alreadyExported;
    toExport = partition.toExport;
    options.onEvent?.({ type: "selected", matched: found.length, toExport: toExport.length, alreadyExported: alreadyExported.length });

    dev = options.dev ? await openDevChecker(options.dev) : noDevChecker("no dev database given (--dev-env)");
    const run: Run = {
      options,
      source,
      dev,
      clock,
      earlier: byWorkflow(existing),
      versions: createVersionAllocator(await listSqlFileNames(options.migrationsDir)),
    };
    const limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
    const exported: SummaryWorkflow[] = [];
    // A batch at a time, each read in a fixed number of queries: memory holds two batches, whatever the
    // selection; within a batch `concurrency` workflows are checked, rendered and written at once.
    // pinData and staticData are production's run-time data: never read, so never exported.
    const batches = readWorkflowBatches(source.prisma, source.schema.features, toExport, { batchSize: EXPORT_BATCH_SIZE, includePinData: false });
    for await (const batch of batches) {
      const entries = await Promise.all(
        batch.map(({ summary, workflow }) =>
          limit(async () => {
            if (!workflow) throw new UserError(`workflow ${summary.id} ("${summary.name}") was deleted in production during the export; rerun`);
            const entry = await exportOne(run, workflow);
            done.add(workflow.id);
            if (entry.file) filesWritten++;
            options.onEvent?.({ type: "exported", workflow: entry });
            return entry;
          }),
        ),
      );
      exported.push(...entries);
    }
    const workflows = [
      ...exported,
      ...alreadyExported.map(({ workflow, file }): SummaryWorkflow => ({
        workflowId: workflow.id,
        name: workflow.name,
        status: "already-exported",
        existingFile: file,
        credentials: [],
        findings: [],
        dev: { state: "not-checked", reason: "not exported" },
      })),
    ];
    const blocked = exported.filter((w) => w.status === "blocked-by-secrets");
    return {
      matched: found.length,
      written: exported.length - blocked.length,
      alreadyExported: alreadyExported.length,
      blocked: blocked.length,
      unallowedFindings: blocked.reduce((n, w) => n + w.findings.filter((f) => !f.allowedBy).length, 0),
      files: exported.flatMap((w) => (w.file ? [path.basename(w.file)] : [])).sort(),
      workflows,
      summary: renderSummary({
        envName: options.envName,
        selection: describeSelection(options.selection),
        generatedAt: clock().toISOString(),
        workflows,
      }),
    };
  } catch (error) {
    const reason = connectionLoss(error);
    if (reason === undefined) throw error;
    throw new UserError(exportInterruptedMessage(reason, filesWritten, toExport.filter((s) => !done.has(s.id))));
  } finally {
    await dev?.close().catch(() => {});
  }
}

interface Run {
  options: ExportProdOptions;
  source: ReadOnlySource;
  dev: DevChecker;
  clock: () => Date;
  /** workflow id -> its migrations in the folder, oldest first */
  earlier: Map<string, ExistingMigration[]>;
  /** versions of the folder's files and of this run's (never two alike) */
  versions: VersionAllocator;
}

async function exportOne(run: Run, workflow: ExportedWorkflow): Promise<SummaryWorkflow> {
  const { options, source } = run;
  const located = locateSecrets(workflow);
  const findings: ReviewedFinding[] = located.map(({ finding }) => {
    if (options.allowlist && isAllowed(finding, options.allowlist)) return { ...finding, allowedBy: "allowlist" };
    if (options.allowSecrets) return { ...finding, allowedBy: "--allow-secrets" };
    return finding;
  });
  const blocked = findings.some((f) => !f.allowedBy);

  const file = blocked ? undefined : run.versions.next(run.clock(), workflow.name, PROD_SYNC_PREFIX);
  const header: WorkflowHeader = {
    migration: file ?? `(not written)_${PROD_SYNC_PREFIX}`,
    source: "prod",
    workflowName: workflow.name,
    lastUpdated: workflow.updatedAt,
    workflowId: workflow.id,
    versionId: workflow.versionId,
    n8n: describeSource({ generation: source.schema.generation ?? 2, schema: source.schema.schema }),
    generatedBy: GENERATED_BY,
  };
  if (file) await writeWorkflowMigration(options.migrationsDir, source.schema, workflow, file, "prod", { name: options.envName, values: options.values ?? [] });
  const previous = run.earlier.get(workflow.id)?.at(-1);
  // The earlier file (maybe a dev one) with production's values: the summary shows edits, not environments.
  const before = previous ? readMigrationWorkflowAs(await readFile(path.join(options.migrationsDir, previous.file), "utf8"), options.envName, valuesByName(options.values ?? [])) : undefined;
  // What the summary shows of the workflow (names, the diff) shows each secret found masked.
  const shown = {
    name: workflow.name,
    credentials: uniqueCredentials(workflow),
    diff: diffWorkflows(previous ? before : undefined, { ...workflow, archived: workflow.isArchived }),
    ...(previous && before ? { comparedWith: previous.file } : {}),
  };
  return {
    workflowId: workflow.id,
    status: blocked ? "blocked-by-secrets" : "written",
    ...(file ? { file: displayPath(path.join(options.migrationsDir, file)) } : {}),
    ...maskValues(shown, located.map(({ secret }) => secret)),
    findings,
    dev: await run.dev.check(header),
  };
}

/** Relative to the working directory when inside it (supabase/migrations/... in a PR), else absolute. */
function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}

function uniqueCredentials(workflow: ExportedWorkflow): Array<{ type: string; name: string }> {
  const seen = new Map<string, { type: string; name: string }>();
  for (const ref of workflow.credentials) seen.set(`${ref.type}\u0000${ref.name}`, { type: ref.type, name: ref.name });
  return [...seen.values()].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}

function byWorkflow(migrations: readonly ExistingMigration[]): Map<string, ExistingMigration[]> {
  const map = new Map<string, ExistingMigration[]>();
  for (const migration of migrations) {
    const id = migration.header.workflowId;
    if (id) map.set(id, [...(map.get(id) ?? []), migration]);
  }
  return map;
}

/** Every --name and --id must match (with close names suggested); nothing is written otherwise. */
async function checkSelection(source: ReadOnlySource, selection: Selection, found: readonly WorkflowSummary[]): Promise<void> {
  const problems = unmatched(selection, found);
  if (problems.length === 0) return;
  const missingNames = selection.names.filter((name) => !found.some((w) => w.name === name));
  const known = missingNames.length > 0 ? await listWorkflowNames(source.prisma) : [];
  const hints = missingNames.flatMap((name) => closeMatches(name, known));
  const archived = selection.includeArchived ? "" : " (archived workflows need --include-archived)";
  throw new UserError(`${problems.join("; ")}${didYouMean(hints)}${archived}; nothing written`);
}
