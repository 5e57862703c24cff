// Export: the chosen workflows of an environment's n8n -> one migration file each in MIGRATIONS_DIR,
// through the export pipeline (export-pipeline.ts). Everything is checked before anything is written
// (unknown names fail with suggestions); a version that already has a migration is not exported again
// unless forced; each file appears atomically.
import { ExitCode, UserError } from "../errors/errors.ts";
import type { DatabaseTarget } from "../config/config.ts";
import { withDatabase } from "../db/db.ts";
import { withN8nPrisma } from "../n8n/prisma.ts";
import { requireN8nSchema } from "../n8n/schema.ts";
import { runExportPipeline } from "./export-pipeline.ts";
import type { Source } from "./header.ts";
import type { EnvironmentValuesReport } from "./environment-check.ts";
import { writeWorkflowMigration, type WorkflowEnvironment } from "./write-migration.ts";

export interface ExportOptions extends DatabaseTarget {
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
  /** also every workflow the selected ones call, transitively; callees get the earlier files */
  withDependencies?: boolean;
  /** the environment read and its values file (environment-values-file.ts environmentOf): files hold its values and say so */
  environment?: WorkflowEnvironment | undefined;
  clock?: () => Date;
  /** told what is to be written, then each file as it is written */
  onEvent?: (event: ExportEvent) => void;
}

export type ExportEvent = { type: "selected"; toExport: number; unchanged: number } | { type: "written"; file: ExportedFile };

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
  /** --with-dependencies: the called workflows added to the selection */
  dependencies?: Array<{ workflowId: string; name: string }>;
  /** the values file against this environment's workflows (absent: no values file, or it is empty) */
  environmentValues?: EnvironmentValuesReport;
}

export async function exportWorkflows(options: ExportOptions): Promise<ExportResult> {
  const names = [...new Set(options.names ?? [])];
  const ids = [...new Set(options.ids ?? [])];
  if (!options.all && names.length === 0 && ids.length === 0) {
    throw new UserError("name the workflows to export, or pass --id <id> or --all", ExitCode.USAGE);
  }
  if (options.all && (names.length > 0 || ids.length > 0)) {
    throw new UserError("--all exports every workflow: leave out names and --id", ExitCode.USAGE);
  }
  const clock = options.clock ?? (() => new Date());
  const emit = options.onEvent ?? (() => {});
  return withDatabase(options.databaseUrl, (db) =>
    db.withClient(async (client) => {
      const schema = await requireN8nSchema(client, options.schema);
      return withN8nPrisma(db, options.schema, async (prisma) => {
        const run = await runExportPipeline({
          source: { prisma, client, schema },
          migrationsDir: options.migrationsDir,
          filter: options.all ? {} : { names, ids, includeArchived: true },
          withDependencies: options.withDependencies ?? false,
          force: options.force ?? false,
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
          includePinData: options.includePinData === true,
          environment: options.environment,
          onSelected: ({ toExport, alreadyExported }) => emit({ type: "selected", toExport, unchanged: alreadyExported }),
          exportOne: async (workflow, { versions }) => {
            const file = versions.next(clock(), workflow.name);
            const target = await writeWorkflowMigration(options.migrationsDir, schema, workflow, file, options.source ?? "dev", { environment: options.environment });
            return { file, path: target, workflowId: workflow.id, name: workflow.name, versionId: workflow.versionId };
          },
          // In selection order (a batch's files are written at once).
          onExported: (file) => emit({ type: "written", file }),
        });
        return {
          written: run.exported,
          skipped: run.alreadyExported.map(({ workflow, file }) => ({ workflowId: workflow.id, name: workflow.name, versionId: workflow.versionId, existingFile: file })),
          ...(options.withDependencies ? { dependencies: run.dependencies.map((s) => ({ workflowId: s.id, name: s.name })) } : {}),
          ...(run.environmentValues ? { environmentValues: run.environmentValues } : {}),
        };
      });
    }),
  );
}
