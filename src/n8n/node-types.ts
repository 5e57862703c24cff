// Where a workflow's node types come from in the source n8n, so that its migration can check the target
// has them: the n8n version the source runs (n8n 2.x records each version it ran as in
// instance_version_history; 1.x records none) and the community packages it installed (installed_nodes:
// one row per node type, `<package>.<node>`, with the package's installedVersion in installed_packages,
// as n8n writes them when a package is installed). A node whose type is not in installed_nodes is n8n's
// own or came some other way (custom folder, Docker image): nothing is recorded for it, so nothing is
// checked. Tables a least-privilege role cannot read count as unknown.
import type pg from "pg";
import { quoteIdent } from "../db/db.ts";
import { isObject } from "./workflow.ts";

export interface NodeTypeSource {
  /** e.g. "2.41.1"; null when the source does not record it (n8n 1.x, or not readable) */
  n8nVersion: string | null;
  /** node type -> its community package and the version installed in the source */
  communityTypes: ReadonlyMap<string, { package: string; version: string }>;
}

/** A node of the workflow whose type a community package provides in the source. */
export interface CommunityNodeUse {
  /** position of the node in `nodes` (0-based) */
  nodeIndex: number;
  node: string;
  type: string;
  /** the node's typeVersion (n8n: 1 when absent) */
  typeVersion: number;
  package: string;
  /** the package's version installed in the source */
  version: string;
}

export const UNKNOWN_NODE_TYPE_SOURCE: NodeTypeSource = { n8nVersion: null, communityTypes: new Map() };

/** Reads the source's n8n version and community node types (two small queries, once per export). */
export async function readNodeTypeSource(client: pg.Client, schema: string): Promise<NodeTypeSource> {
  const table = (name: string) => `${quoteIdent(schema)}.${quoteIdent(name)}`;
  const readable = async (name: string, columns: readonly string[]): Promise<boolean> => {
    const { rows } = await client.query<{ ok: boolean }>(
      `SELECT to_regclass($1) IS NOT NULL AND bool_and(has_column_privilege(to_regclass($1), c, 'SELECT')) AS ok FROM unnest($2::text[]) AS c`,
      [table(name), columns],
    );
    return rows[0]?.ok === true;
  };
  let n8nVersion: string | null = null;
  if (await readable("instance_version_history", ["id", "major", "minor", "patch", "createdAt"])) {
    const { rows } = await client.query<{ version: string }>(
      `SELECT concat_ws('.', major, minor, patch) AS version FROM ${table("instance_version_history")} ORDER BY "createdAt" DESC, id DESC LIMIT 1`,
    );
    n8nVersion = rows[0]?.version ?? null;
  }
  const communityTypes = new Map<string, { package: string; version: string }>();
  if ((await readable("installed_nodes", ["type", "package"])) && (await readable("installed_packages", ["packageName", "installedVersion"]))) {
    const { rows } = await client.query<{ type: string; package: string; version: string }>(
      `SELECT n.type, n.package, p."installedVersion" AS version
         FROM ${table("installed_nodes")} n JOIN ${table("installed_packages")} p ON p."packageName" = n.package`,
    );
    for (const row of rows) communityTypes.set(row.type, { package: row.package, version: row.version });
  }
  return { n8nVersion, communityTypes };
}

/** Pure: the nodes whose type a community package of the source provides, in node order. */
export function communityNodeUses(nodes: readonly unknown[], source: NodeTypeSource): CommunityNodeUse[] {
  const uses: CommunityNodeUse[] = [];
  nodes.forEach((node, nodeIndex) => {
    if (!isObject(node) || typeof node.type !== "string") return;
    const installed = source.communityTypes.get(node.type);
    if (!installed) return;
    uses.push({
      nodeIndex,
      node: typeof node.name === "string" ? node.name : `#${nodeIndex}`,
      type: node.type,
      typeVersion: typeof node.typeVersion === "number" ? node.typeVersion : 1,
      package: installed.package,
      version: installed.version,
    });
  });
  return uses;
}
