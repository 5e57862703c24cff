// Community packages a new workflow version needs that the one it replaces did not (or at another
// version): what a reviewer must get installed where the file applies. Read from the files' recorded
// community nodes (export: in_community_nodes), matched by package name. Pure.
import type { CommunityNodeUse } from "../n8n/node-types.ts";

export interface PackageChange {
  package: string;
  /** the version installed where the new version was made */
  version: string;
  /** the version the earlier one was made with, when it used the package too */
  previousVersion?: string;
  /** the nodes of the new version that use it */
  nodes: string[];
}

export function communityPackageChanges(before: readonly CommunityNodeUse[] | undefined, after: readonly CommunityNodeUse[] | undefined): PackageChange[] {
  const earlier = new Map((before ?? []).map((use) => [use.package, use.version]));
  const now = new Map<string, PackageChange>();
  for (const use of after ?? []) {
    const change = now.get(use.package) ?? { package: use.package, version: use.version, nodes: [] };
    change.nodes.push(use.node);
    now.set(use.package, change);
  }
  return [...now.values()].flatMap((change) => {
    const previous = earlier.get(change.package);
    if (previous === change.version) return [];
    return [previous === undefined ? change : { ...change, previousVersion: previous }];
  });
}
