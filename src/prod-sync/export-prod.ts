// export-prod, the library function behind scripts/export-prod.ts: production's recently changed (or
// named) workflows -> one reviewable `<version>_prod_sync_<slug>.sql` each, plus the Markdown summary of
// the run. Production is read through a read-only session; pinData and staticData are never read.
// Memory stays bounded: the selection is a list of light summaries, read in full a batch at a time.
// A workflow with an unallowed secret gets no file.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { runExportPipeline, type PipelineRun } from "../workflows/export-pipeline.ts";
import { writeWorkflowMigration } from "../workflows/write-migration.ts";
import { GENERATED_BY } from "../workflows/generated-by.ts";
import type { WorkflowHeader } from "../workflows/header.ts";
import { PROD_SYNC_PREFIX } from "../workflows/naming.ts";
import { describeSource, type ExportedWorkflow } from "../n8n/workflow.ts";
import { isAllowed, type Allowlist } from "../secrets/allowlist.ts";
import { openDevChecker, noDevChecker, type DevChecker, type DevDatabase } from "./dev-check.ts";
import { readMigrationWorkflowAs } from "../workflows/read-environment.ts";
import { valuesByName, type ValuesTable } from "../workflows/environment-values.ts";
import { diffWorkflows } from "../diff/workflow-diff.ts";
import { locateSecrets, maskValues } from "../secrets/scan.ts";
import { describeSelection, selectionFilter, type Selection } from "./select.ts";
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
  values?: ValuesTable;
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
  try {
    // pinData and staticData are production's run-time data: never read, so never exported.
    const run = await runExportPipeline({
      source,
      migrationsDir: options.migrationsDir,
      filter: selectionFilter(options.selection, clock()),
      notFoundHint: options.selection.includeArchived ? "" : " (archived workflows need --include-archived)",
      withDependencies: options.withDependencies ?? false,
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      includePinData: false,
      environment: { name: options.envName, values: options.values ?? [] },
      onSelected: async (selected, pipeline) => {
        options.onEvent?.({ type: "selected", ...selected });
        dev = options.dev ? await openDevChecker(options.dev, pipeline.existing) : noDevChecker("no dev database given (--dev-env)");
      },
      exportOne: async (workflow, pipeline) => {
        const entry = await exportOne({ options, source, dev: dev!, clock, pipeline }, workflow);
        options.onEvent?.({ type: "exported", workflow: entry });
        return entry;
      },
    });
    const workflows = [
      ...run.exported,
      ...run.alreadyExported.map(({ workflow, file }): SummaryWorkflow => ({
        workflowId: workflow.id,
        name: workflow.name,
        status: "already-exported",
        existingFile: file,
        credentials: [],
        findings: [],
        dev: { state: "not-checked", reason: "not exported" },
      })),
    ];
    const blocked = run.exported.filter((w) => w.status === "blocked-by-secrets");
    return {
      matched: run.found.length,
      written: run.exported.length - blocked.length,
      alreadyExported: run.alreadyExported.length,
      blocked: blocked.length,
      unallowedFindings: blocked.reduce((n, w) => n + w.findings.filter((f) => !f.allowedBy).length, 0),
      files: run.exported.flatMap((w) => (w.file ? [path.basename(w.file)] : [])).sort(),
      workflows,
      summary: renderSummary({
        envName: options.envName,
        selection: describeSelection(options.selection),
        generatedAt: clock().toISOString(),
        workflows,
      }),
    };
  } finally {
    await dev?.close().catch(() => {});
  }
}

interface Run {
  options: ExportProdOptions;
  source: ReadOnlySource;
  dev: DevChecker;
  clock: () => Date;
  pipeline: PipelineRun;
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

  const file = blocked ? undefined : run.pipeline.versions.next(run.clock(), workflow.name, PROD_SYNC_PREFIX);
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
  if (file) await writeWorkflowMigration(options.migrationsDir, source.schema, workflow, file, "prod", { environment: { name: options.envName, values: options.values ?? [] } });
  const previous = run.pipeline.earlier.get(workflow.id)?.at(-1);
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
