// Pure: which earlier version of a workflow `--to <versionId|previous>` means, from the versions the
// environment's workflow_history holds and those the migration files bring. History holds every saved
// and every applied version, so it is asked first; the files reach versions history no longer has.

export interface KnownVersion {
  versionId: string;
  /** when it was saved (history) or exported (file's Last Updated) */
  at: Date;
  /** "workflow_history", or the migration file that brings it */
  from: string;
}

export type Choice = { ok: true; version: KnownVersion } | { ok: false; message: string };

/**
 * history and files: each newest first. "previous" is the version saved before the current one (the
 * newest other version when the current one has no history row).
 */
export function chooseVersion(currentVersionId: string, to: string, history: readonly KnownVersion[], files: readonly KnownVersion[]): Choice {
  if (to === currentVersionId) return { ok: false, message: `the workflow is already at version ${to}: nothing to roll back` };
  if (to === "previous") {
    const at = history.findIndex((v) => v.versionId === currentVersionId);
    const before = (at === -1 ? history : history.slice(at + 1)).find((v) => v.versionId !== currentVersionId);
    const fromFile = files.find((v) => v.versionId !== currentVersionId);
    const version = before ?? fromFile;
    if (version) return { ok: true, version };
    return { ok: false, message: "no earlier version: the workflow has no other version in workflow_history or in the migration files" };
  }
  const version = history.find((v) => v.versionId === to) ?? files.find((v) => v.versionId === to);
  if (version) return { ok: true, version };
  const recent = uniqueVersions([...history, ...files])
    .filter((v) => v.versionId !== currentVersionId)
    .slice(0, 5)
    .map((v) => `${v.versionId} (${v.at.toISOString()}, ${v.from})`);
  return {
    ok: false,
    message: `version ${to} not found in workflow_history or the migration files${recent.length > 0 ? `; recent versions: ${recent.join("; ")}` : ""}; or use --to previous`,
  };
}

function uniqueVersions(versions: readonly KnownVersion[]): KnownVersion[] {
  const seen = new Set<string>();
  return [...versions]
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .filter((v) => (seen.has(v.versionId) ? false : (seen.add(v.versionId), true)));
}
