// Reading workflows out of an n8n database through Prisma, for export: light summaries to choose from
// (thousands at a time) and one full workflow at a time, so an export never holds every workflow in
// memory. Credentials are read as id, name and type only (the model has no `data` column); columns that
// exist on n8n 2.x only are selected only when inspectN8nSchema found them.
import type { N8nPrisma } from "./prisma.ts";
import type { N8nFeatures } from "./schema.ts";
import { extractCredentialReferences } from "../workflows/credentials.ts";
import type { CredentialReference, ExportedWorkflow } from "../workflows/workflow.ts";

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
  const row = await prisma.workflowEntity.findUnique({
    where: { id },
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
    },
  });
  if (!row) return undefined;
  const nodes = Array.isArray(row.nodes) ? (row.nodes as unknown[]) : [];
  const [tags, ownerProject, credentials] = await Promise.all([
    readTags(prisma, id),
    readOwnerProject(prisma, id),
    readCredentialReferences(prisma, nodes),
  ]);
  const workflow: ExportedWorkflow = {
    id: row.id,
    name: row.name,
    versionId: row.versionId.trim(),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    active: row.active,
    isArchived: row.isArchived,
    description: row.description,
    nodes,
    connections: row.connections,
    settings: row.settings,
    meta: row.meta,
    tags,
    credentials,
    ownerProject,
  };
  if (features.nodeGroups) workflow.nodeGroups = row.nodeGroups ?? [];
  if (options.includePinData) workflow.pinData = row.pinData;
  return workflow;
}

async function readTags(prisma: N8nPrisma, workflowId: string): Promise<string[]> {
  const links = await prisma.workflowsTags.findMany({ where: { workflowId }, select: { tagId: true } });
  if (links.length === 0) return [];
  const tags = await prisma.tagEntity.findMany({ where: { id: { in: links.map((l) => l.tagId) } }, select: { name: true } });
  return tags.map((t) => t.name).sort();
}

async function readOwnerProject(prisma: N8nPrisma, workflowId: string): Promise<ExportedWorkflow["ownerProject"]> {
  const share = await prisma.sharedWorkflow.findFirst({ where: { workflowId, role: "workflow:owner" }, select: { projectId: true } });
  if (!share) return undefined;
  return (
    (await prisma.project.findUnique({ where: { id: share.projectId }, select: { id: true, name: true, type: true } })) ?? undefined
  );
}

/**
 * The nodes' credential references, named as the source's credentials are named now (a node keeps the
 * name from when the credential was picked; renaming the credential does not update it).
 */
async function readCredentialReferences(prisma: N8nPrisma, nodes: readonly unknown[]): Promise<CredentialReference[]> {
  const refs = extractCredentialReferences(nodes);
  const ids = [...new Set(refs.flatMap((ref) => (ref.id ? [ref.id] : [])))];
  if (ids.length === 0) return refs;
  const found = await prisma.credentialsEntity.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, type: true } });
  const byId = new Map(found.map((c) => [c.id, c]));
  return refs.map((ref) => {
    const credential = ref.id ? byId.get(ref.id) : undefined;
    return credential && credential.type === ref.type ? { ...ref, name: credential.name } : ref;
  });
}
