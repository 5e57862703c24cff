// Rows n8n writes about node types, written the way n8n writes them (2.41.1's code):
// - installing a community package (InstalledPackagesRepository.saveInstalledPackageWithNodes): one
//   installed_packages row (packageName, installedVersion, author) and per node one installed_nodes row
//   (name = the node's displayName, type = `<packageName>.<node name>`, latestVersion = the node's
//   current version, package = packageName);
// - starting on a new version (InstanceVersionHistoryService): an instance_version_history row;
// - setting a scope's policy (TypeAvailabilityPolicyService.setEffectivePolicy): a scope row (kind
//   'node-types', projectId NULL for the instance), one policy document (rules: [{id, action,
//   selector: {kind: name|package, value}}]) attached at priority 0, not a floor; the scope's version bumped.
import { n8nId, type N8nDatabase } from "../../src/samples/seed.ts";

const table = (db: N8nDatabase, name: string) => `"${db.schema}"."${name}"`;

export interface CommunityPackage {
  packageName: string;
  installedVersion: string;
  /** node name (the part after the package name in the type), display name, latest version */
  nodes: Array<{ node: string; displayName: string; latestVersion: number }>;
}

export async function installCommunityPackage(db: N8nDatabase, pkg: CommunityPackage): Promise<void> {
  await db.query(`INSERT INTO ${table(db, "installed_packages")} ("packageName", "installedVersion", "authorName", "authorEmail") VALUES ($1, $2, $3, $4)`, [
    pkg.packageName,
    pkg.installedVersion,
    "Node Author",
    "author@example.com",
  ]);
  for (const node of pkg.nodes) {
    await db.query(`INSERT INTO ${table(db, "installed_nodes")} (name, type, "latestVersion", package) VALUES ($1, $2, $3, $4)`, [
      node.displayName,
      `${pkg.packageName}.${node.node}`,
      node.latestVersion,
      pkg.packageName,
    ]);
  }
}

/** n8n 2.x, started on `version` (e.g. "2.38.0") after the fixture's 2.41.1. */
export async function recordN8nVersion(db: N8nDatabase, version: string): Promise<void> {
  const [major, minor, patch] = version.split(".").map(Number);
  await db.query(`INSERT INTO ${table(db, "instance_version_history")} (major, minor, patch, "createdAt") VALUES ($1, $2, $3, now() + interval '1 second')`, [
    major,
    minor,
    patch,
  ]);
}

export interface PolicyRule {
  action: "allow" | "deny" | "delegate";
  selector: { kind: "name" | "package"; value: string };
}

/** The node-type policy of the instance (projectId null) or of a project. */
export async function setNodeTypePolicy(
  db: N8nDatabase,
  scope: { projectId: string | null; defaultAction: "allow" | "deny" | "delegate"; rules: PolicyRule[] },
): Promise<void> {
  const [owner] = await db.query<{ id: string }>(`SELECT id FROM ${table(db, "user")} WHERE "roleSlug" = 'global:owner' LIMIT 1`);
  const scopeId = n8nId();
  const policyId = n8nId();
  await db.query(
    `INSERT INTO ${table(db, "type_availability_policy_scope")} (id, kind, "projectId", "defaultAction", version, "updatedBy") VALUES ($1, 'node-types', $2, $3, 2, $4)`,
    [scopeId, scope.projectId, scope.defaultAction, owner!.id],
  );
  const rules = scope.rules.map((rule) => ({ id: n8nId(), ...rule }));
  await db.query(`INSERT INTO ${table(db, "type_availability_policy")} (id, kind, rules, version, "updatedBy") VALUES ($1, 'node-types', $2, 1, $3)`, [
    policyId,
    JSON.stringify(rules),
    owner!.id,
  ]);
  await db.query(`INSERT INTO ${table(db, "type_availability_policy_attachment")} ("scopeId", "policyId", priority, "isFloor") VALUES ($1, $2, 0, false)`, [
    scopeId,
    policyId,
  ]);
}
