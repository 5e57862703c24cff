// Reading workflows out of an n8n database through Prisma, for export: light summaries to choose from
// (thousands at a time) and full workflows a bounded batch at a time, in a fixed number of queries per
// batch, so an export never holds every workflow in memory. Credentials are read as id, name and type
// only (the model has no `data` column); columns that exist on n8n 2.x only are selected only when
// inspectN8nSchema found them.
import type { N8nPrisma } from "./prisma.ts";
import type { N8nFeatures } from "./schema.ts";
import { calleesFirst } from "./dependencies.ts";
import { extractReferences, type WorkflowReferences } from "./references.ts";
import { extractCredentialReferences, type CredentialReference, type ExportedWorkflow } from "./workflow.ts";

export interface WorkflowSummary {
  id: string;
  name: string;
  versionId: string;
  /** ISO 8601 UTC */
  updatedAt: string;
  isArchived: boolean;
}

export interface SummaryFilter {
  /** workflows with one of these exact names (union with ids) */
  names?: readonly string[];
  ids?: readonly string[];
  /** only those updated after this instant */
  changedSince?: Date;
  /** archived workflows are left out unless this is set */
  includeArchived?: boolean;
}

/** Summaries of the matching workflows, oldest change first. No names and no ids: all workflows. */
export async function listWorkflowSummaries(prisma: N8nPrisma, filter: SummaryFilter = {}): Promise<WorkflowSummary[]> {
  const selectors = [
    ...(filter.names?.length ? [{ name: { in: [...filter.names] } }] : []),
    ...(filter.ids?.length ? [{ id: { in: [...filter.ids] } }] : []),
  ];
  const rows = await prisma.workflowEntity.findMany({
    select: { id: true, name: true, versionId: true, updatedAt: true, isArchived: true },
    where: {
      ...(selectors.length > 0 ? { OR: selectors } : {}),
      ...(filter.changedSince ? { updatedAt: { gt: filter.changedSince } } : {}),
      ...(filter.includeArchived ? {} : { isArchived: false }),
    },
    orderBy: [{ updatedAt: "asc" }, { id: "asc" }],
  });
  return rows.map((row) => ({ ...row, versionId: row.versionId.trim(), updatedAt: row.updatedAt.toISOString() }));
}

/** Names of every workflow (for "did you mean" suggestions). */
export async function listWorkflowNames(prisma: N8nPrisma): Promise<string[]> {
  const rows = await prisma.workflowEntity.findMany({ select: { name: true }, orderBy: { name: "asc" } });
  return rows.map((row) => row.name);
}

export interface ReadOptions {
  includePinData?: boolean;
}

/** One workflow with its tags, owner project and referenced credentials; undefined when absent. */
export async function readWorkflow(
  prisma: N8nPrisma,
  features: N8nFeatures,
  id: string,
  options: ReadOptions = {},
): Promise<ExportedWorkflow | undefined> {
  return (await readWorkflows(prisma, features, [id], options)).get(id);
}

/**
 * Full workflows by id, with their tags, owner projects and referenced credentials, in a fixed number of
 * queries whatever the number of ids (an export reads its selection a bounded batch at a time). Ids with
 * no workflow are absent from the map.
 */
export async function readWorkflows(
  prisma: N8nPrisma,
  features: N8nFeatures,
  ids: readonly string[],
  options: ReadOptions = {},
): Promise<Map<string, ExportedWorkflow>> {
  const rows = await prisma.workflowEntity.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: {
      id: true,
      name: true,
      versionId: true,
      createdAt: true,
      updatedAt: true,
      active: true,
      isArchived: true,
      description: true,
      nodes: true,
      connections: true,
      settings: true,
      meta: true,
      nodeGroups: features.nodeGroups,
      pinData: options.includePinData === true,
      parentFolderId: true,
    },
  });
  const found = rows.map((row) => row.id);
  const nodesOf = new Map(rows.map((row) => [row.id, Array.isArray(row.nodes) ? (row.nodes as unknown[]) : []]));
  const [tags, ownerProjects, credentials, folderPaths, references] = await Promise.all([
    readTags(prisma, found),
    readOwnerProjects(prisma, found),
    readCredentialReferences(prisma, nodesOf),
    readFolderPaths(prisma, rows),
    readReferences(prisma, nodesOf),
  ]);
  const workflows = new Map<string, ExportedWorkflow>();
  for (const row of rows) {
    const workflow: ExportedWorkflow = {
      id: row.id,
      name: row.name,
      versionId: row.versionId.trim(),
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      active: row.active,
      isArchived: row.isArchived,
      description: row.description,
      nodes: nodesOf.get(row.id)!,
      connections: row.connections,
      settings: row.settings,
      meta: row.meta,
      tags: tags.get(row.id) ?? [],
      credentials: credentials.get(row.id)!,
      ownerProject: ownerProjects.get(row.id),
      folderPath: folderPaths.get(row.id) ?? [],
      references: references.get(row.id)!,
    };
    if (features.nodeGroups) workflow.nodeGroups = row.nodeGroups ?? [];
    if (options.includePinData) workflow.pinData = row.pinData;
    workflows.set(row.id, workflow);
  }
  return workflows;
}

export interface BatchOptions extends ReadOptions {
  batchSize: number;
}

/**
 * The workflows of the selection (summaries or anything with an id), `batchSize` at a time, in order,
 * each paired with its full workflow (undefined when it no longer exists). The next batch is read
 * while the caller handles the current one: database and caller overlap, at most two batches in memory.
 */
export async function* readWorkflowBatches<S extends { id: string }>(
  prisma: N8nPrisma,
  features: N8nFeatures,
  selection: readonly S[],
  options: BatchOptions,
): AsyncGenerator<Array<{ summary: S; workflow: ExportedWorkflow | undefined }>> {
  const { batchSize, ...read } = options;
  const batches: S[][] = [];
  for (let start = 0; start < selection.length; start += batchSize) batches.push(selection.slice(start, start + batchSize));
  const readBatch = (index: number) =>
    index < batches.length ? readWorkflows(prisma, features, batches[index]!.map((s) => s.id), read) : undefined;
  let next = readBatch(0);
  for (let index = 0; index < batches.length; index++) {
    const workflows = await next!;
    next = readBatch(index + 1);
    // A caller that stops early never awaits the prefetch: its failure must not crash the process.
    next?.catch(() => {});
    yield batches[index]!.map((summary) => ({ summary, workflow: workflows.get(summary.id) }));
  }
}

/** workflow id -> its tag names, sorted */
async function readTags(prisma: N8nPrisma, workflowIds: readonly string[]): Promise<Map<string, string[]>> {
  const links = await prisma.workflowsTags.findMany({ where: { workflowId: { in: [...workflowIds] } }, select: { workflowId: true, tagId: true } });
  if (links.length === 0) return new Map();
  const tags = await prisma.tagEntity.findMany({ where: { id: { in: [...new Set(links.map((l) => l.tagId))] } }, select: { id: true, name: true } });
  const nameOf = new Map(tags.map((t) => [t.id, t.name]));
  const byWorkflow = new Map<string, string[]>();
  for (const link of links) {
    const name = nameOf.get(link.tagId);
    if (name !== undefined) byWorkflow.set(link.workflowId, [...(byWorkflow.get(link.workflowId) ?? []), name]);
  }
  for (const names of byWorkflow.values()) names.sort();
  return byWorkflow;
}

/** workflow id -> the project that owns it */
async function readOwnerProjects(prisma: N8nPrisma, workflowIds: readonly string[]): Promise<Map<string, NonNullable<ExportedWorkflow["ownerProject"]>>> {
  const shares = await prisma.sharedWorkflow.findMany({
    where: { workflowId: { in: [...workflowIds] }, role: "workflow:owner" },
    select: { workflowId: true, projectId: true },
  });
  if (shares.length === 0) return new Map();
  const projects = await prisma.project.findMany({
    where: { id: { in: [...new Set(shares.map((s) => s.projectId))] } },
    select: { id: true, name: true, type: true },
  });
  const byId = new Map(projects.map((p) => [p.id, p]));
  return new Map(shares.flatMap((share) => (byId.has(share.projectId) ? [[share.workflowId, byId.get(share.projectId)!] as const] : [])));
}

/**
 * workflow id -> its nodes' credential references, named as the source's credentials are named now (a
 * node keeps the name from when the credential was picked; renaming the credential does not update it).
 */
async function readCredentialReferences(
  prisma: N8nPrisma,
  nodesOf: ReadonlyMap<string, readonly unknown[]>,
): Promise<Map<string, CredentialReference[]>> {
  const refsOf = new Map([...nodesOf].map(([id, nodes]) => [id, extractCredentialReferences(nodes)]));
  const ids = [...new Set([...refsOf.values()].flatMap((refs) => refs.flatMap((ref) => (ref.id ? [ref.id] : []))))];
  if (ids.length === 0) return refsOf;
  const found = await prisma.credentialsEntity.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, type: true } });
  const byId = new Map(found.map((c) => [c.id, c]));
  const named = (ref: CredentialReference): CredentialReference => {
    const credential = ref.id ? byId.get(ref.id) : undefined;
    return credential && credential.type === ref.type ? { ...ref, name: credential.name } : ref;
  };
  return new Map([...refsOf].map(([id, refs]) => [id, refs.map(named)]));
}

/**
 * workflow id -> its folder's path, names from the project root. Folders are read level by level (one
 * query per depth, not per workflow); n8n keeps folder trees shallow.
 */
async function readFolderPaths(
  prisma: N8nPrisma,
  rows: ReadonlyArray<{ id: string; parentFolderId: string | null }>,
): Promise<Map<string, string[]>> {
  const folders = new Map<string, { name: string; parentFolderId: string | null }>();
  let wanted = [...new Set(rows.flatMap((row) => (row.parentFolderId ? [row.parentFolderId] : [])))];
  while (wanted.length > 0) {
    const found = await prisma.folder.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true, parentFolderId: true } });
    for (const folder of found) folders.set(folder.id, folder);
    wanted = [...new Set(found.flatMap((f) => (f.parentFolderId && !folders.has(f.parentFolderId) ? [f.parentFolderId] : [])))];
  }
  const pathOf = (id: string | null, seen = new Set<string>()): string[] => {
    const folder = id ? folders.get(id) : undefined;
    if (!folder || seen.has(id!)) return [];
    seen.add(id!);
    return [...pathOf(folder.parentFolderId, seen), folder.name];
  };
  return new Map(rows.map((row) => [row.id, pathOf(row.parentFolderId)]));
}

/** workflow id -> what its nodes point at, named as the source's data tables and workflows are named now. */
async function readReferences(prisma: N8nPrisma, nodesOf: ReadonlyMap<string, readonly unknown[]>): Promise<Map<string, WorkflowReferences>> {
  const refsOf = new Map([...nodesOf].map(([id, nodes]) => [id, extractReferences(nodes)]));
  const all = [...refsOf.values()];
  const tableIds = [...new Set(all.flatMap((refs) => refs.dataTables.map((ref) => ref.id)))];
  const workflowIds = [...new Set(all.flatMap((refs) => refs.workflows.map((ref) => ref.id)))];
  const [tables, workflows] = await Promise.all([
    tableIds.length > 0 ? prisma.dataTable.findMany({ where: { id: { in: tableIds } }, select: { id: true, name: true } }) : [],
    workflowIds.length > 0 ? prisma.workflowEntity.findMany({ where: { id: { in: workflowIds } }, select: { id: true, name: true } }) : [],
  ]);
  const tableName = new Map(tables.map((t) => [t.id, t.name]));
  const workflowName = new Map(workflows.map((w) => [w.id, w.name]));
  for (const refs of all) {
    for (const ref of refs.dataTables) ref.name = tableName.get(ref.id) ?? ref.name;
    for (const ref of refs.workflows) ref.name = workflowName.get(ref.id) ?? ref.name;
  }
  return refsOf;
}

/**
 * The selection plus every workflow it calls, transitively (those that exist in this database), callees
 * before callers (export --with-dependencies). Nodes are read a batch of ids at a time, one level of
 * calls per round.
 */
export async function withCalledWorkflows(prisma: N8nPrisma, selection: readonly WorkflowSummary[], batchSize = 50): Promise<WorkflowSummary[]> {
  const known = new Map(selection.map((s) => [s.id, s]));
  const calls = new Map<string, string[]>();
  let frontier = [...known.keys()];
  while (frontier.length > 0) {
    const callees = new Set<string>();
    for (let start = 0; start < frontier.length; start += batchSize) {
      const rows = await prisma.workflowEntity.findMany({ where: { id: { in: frontier.slice(start, start + batchSize) } }, select: { id: true, nodes: true } });
      for (const row of rows) {
        const ids = extractReferences(Array.isArray(row.nodes) ? row.nodes : []).workflows.map((call) => call.id);
        calls.set(row.id, ids);
        for (const id of ids) if (!known.has(id)) callees.add(id);
      }
    }
    const found = callees.size > 0 ? await listWorkflowSummaries(prisma, { ids: [...callees], includeArchived: true }) : [];
    for (const summary of found) known.set(summary.id, summary);
    frontier = found.map((s) => s.id);
  }
  return calleesFirst([...known.keys()], calls).map((id) => known.get(id)!);
}
