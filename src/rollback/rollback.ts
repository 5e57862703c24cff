// rollback, the library function behind scripts/rollback.ts: writes a NEW migration that restores an
// earlier version of one workflow, taken from the environment's workflow_history or from an earlier
// migration file of it. Migrations are never edited or deleted: the rollback is reviewed, committed
// and applied by migrate-up everywhere like any other change.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ExitCode, UserError } from "../errors/errors.ts";
import { withDatabase, type Database } from "../db/db.ts";
import { withN8nPrisma, type N8nPrisma } from "../n8n/prisma.ts";
import { listWorkflowNames, listWorkflowSummaries, readWorkflow } from "../n8n/read.ts";
import { requireN8nSchema, type N8nSchema } from "../n8n/schema.ts";
import { readMigrationWorkflow } from "../workflows/read-migration.ts";
import { closeMatches, didYouMean } from "../workflows/close-matches.ts";
import { listSqlFileNames, makeMigrationsFolder, readWorkflowMigrations } from "../workflows/existing.ts";
import { writeWorkflowMigration, type WorkflowEnvironment } from "../workflows/write-migration.ts";
import { readMigrationWorkflowAs } from "../workflows/read-environment.ts";
import { valuesByName } from "../workflows/environment-values.ts";
import { rollsBackLine, type Source } from "../workflows/header.ts";
import { migrationFileName } from "../workflows/naming.ts";
import { chooseVersion, type KnownVersion } from "./choose-version.ts";
import { restoredWorkflow, type EarlierDefinition } from "./restore.ts";
import { readNodeTypeSource } from "../n8n/node-types.ts";

/** Prefix of rollback migrations, after the version: `<version>_rollback_<slug>.sql`. */
export const ROLLBACK_PREFIX = "rollback_";
export const HISTORY_SOURCE = "workflow_history";

export interface RollbackOptions {
  databaseUrl: string;
  schema: string;
  migrationsDir: string;
  /** workflow name (exact) or id */
  workflow: string;
  /** a versionId, or "previous" */
  to: string;
  source?: Source;
  /** the environment read and its values file: the file holds that environment's values, and records the version it replaces there */
  environment?: WorkflowEnvironment | undefined;
  clock?: () => Date;
  /** the new version's id (default: a random UUID, as n8n makes them) */
  newVersionId?: () => string;
}

export interface RollbackResult {
  file: string;
  path: string;
  workflowId: string;
  name: string;
  /** the version the workflow had */
  currentVersionId: string;
  /** the earlier version whose definition the file restores */
  restoredVersionId: string;
  /** "workflow_history" or the migration file it came from */
  restoredFrom: string;
  /** the versionId the workflow gets when the file applies */
  newVersionId: string;
}

export async function rollbackWorkflow(options: RollbackOptions): Promise<RollbackResult> {
  const clock = options.clock ?? (() => new Date());
  return withDatabase(options.databaseUrl, (db) => rollbackOn(db, options, clock));
}

/** The rollback on the run's database: n8n's tables checked, then read through Prisma on the same pool. */
async function rollbackOn(db: Database, options: RollbackOptions, clock: () => Date): Promise<RollbackResult> {
  const [n8n, nodeTypes] = await db.withClient(async (client) => {
    const schema = await requireN8nSchema(client, options.schema);
    return [schema, await readNodeTypeSource(client, options.schema)] as const;
  });
  return withN8nPrisma(db, options.schema, async (prisma) => {
    const id = await findWorkflowId(prisma, options.workflow);
    const current = await readWorkflow(prisma, n8n.features, id);
    if (!current) throw new UserError(`workflow ${id} was deleted meanwhile; rerun`);

    const history = await prisma.workflowHistory.findMany({
      where: { workflowId: id },
      select: { versionId: true, createdAt: true },
      orderBy: [{ createdAt: "desc" }, { versionId: "desc" }],
    });
    const files = (await readWorkflowMigrations(options.migrationsDir))
      .filter((m) => m.header.workflowId === id && m.header.versionId)
      .reverse();
    const choice = chooseVersion(
      current.versionId,
      options.to,
      history.map((h) => ({ versionId: h.versionId.trim(), at: h.createdAt, from: HISTORY_SOURCE })),
      files.map((m) => ({ versionId: m.header.versionId!, at: new Date(m.header.lastUpdated ?? 0), from: m.file })),
    );
    if (!choice.ok) throw new UserError(`${current.name} (${id}): ${choice.message}`);

    const earlier = await readDefinition(prisma, n8n, options.migrationsDir, choice.version, options.environment);
    const now = clock();
    // The earlier nodes' community packages, as this database has them installed now.
    const restored = { ...restoredWorkflow(current, earlier, (options.newVersionId ?? randomUUID)(), now), nodeTypes };
    await makeMigrationsFolder(options.migrationsDir);
    const file = migrationFileName({
      workflowName: restored.name,
      now,
      existing: await listSqlFileNames(options.migrationsDir),
      prefix: ROLLBACK_PREFIX,
    });
    // The version it replaces in that environment: the review (n8n:diff) compares with it.
    const rollsBack = options.environment ? { rollsBack: rollsBackLine(options.environment.name, current.versionId) } : {};
    const target = await writeWorkflowMigration(options.migrationsDir, n8n, restored, file, options.source ?? "dev", { ...rollsBack, environment: options.environment });
    return {
      file,
      path: target,
      workflowId: id,
      name: restored.name,
      currentVersionId: current.versionId,
      restoredVersionId: choice.version.versionId,
      restoredFrom: choice.version.from,
      newVersionId: restored.versionId,
    };
  });
}

/** The id of the workflow a name or id names; one line with close names when none or several match. */
async function findWorkflowId(prisma: N8nPrisma, nameOrId: string): Promise<string> {
  const found = await listWorkflowSummaries(prisma, { names: [nameOrId], ids: [nameOrId], includeArchived: true });
  const byId = found.find((w) => w.id === nameOrId);
  if (byId) return byId.id;
  if (found.length === 1) return found[0]!.id;
  if (found.length > 1) {
    throw new UserError(`"${nameOrId}" names ${found.length} workflows (ids ${found.map((w) => w.id).join(", ")}): pass --workflow <id>`, ExitCode.USAGE);
  }
  throw new UserError(`no workflow named or with id "${nameOrId}"${didYouMean(closeMatches(nameOrId, await listWorkflowNames(prisma)))}`);
}

async function readDefinition(
  prisma: N8nPrisma,
  n8n: N8nSchema,
  migrationsDir: string,
  version: KnownVersion,
  environment: WorkflowEnvironment | undefined,
): Promise<EarlierDefinition> {
  if (version.from === HISTORY_SOURCE) {
    const row = await prisma.workflowHistory.findUnique({
      where: { versionId: version.versionId },
      select: { name: true, nodes: true, connections: true, description: true, nodeGroups: n8n.features.nodeGroups },
    });
    if (!row) throw new UserError(`history row ${version.versionId} was deleted meanwhile; rerun`);
    return {
      name: row.name,
      nodes: Array.isArray(row.nodes) ? (row.nodes as unknown[]) : [],
      connections: row.connections,
      description: row.description,
      ...(n8n.features.nodeGroups ? { nodeGroups: row.nodeGroups } : {}),
    };
  }
  // A file of another environment holds that one's values: brought into this environment's, as the file it restores.
  const sql = await readFile(path.join(migrationsDir, version.from), "utf8");
  const workflow = environment ? readMigrationWorkflowAs(sql, environment.name, valuesByName(environment.values)) : readMigrationWorkflow(sql);
  if (!workflow) throw new UserError(`${version.from} holds no readable workflow (n8n:validate says why): choose another version`);
  return { name: workflow.name, nodes: [...workflow.nodes], connections: workflow.connections, settings: workflow.settings };
}
