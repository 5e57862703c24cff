// What applying a workflow does to the target, decided from versions rather than clocks: the target is
// fast-forwarded when it still holds the version n8n-sync last wrote there; only when it was edited
// since (or was never synced and differs) do the clocks decide, and that is a conflict, reported.
// The SQL of every workflow migration makes the same decision with the same reasons (render.ts);
// test/integration/workflows/conflict.test.ts runs a table of cases through both.
import type { Outcome } from "./report.ts";

export type Action = "insert" | "update" | "unchanged" | "skip-conflict" | "overwrite-conflict";

export interface TargetState {
  versionId: string;
  /** the target's workflow_entity.updatedAt */
  updatedAt: Date;
  /** result_version_id of the latest migration_metadata row that wrote or confirmed this workflow */
  lastSyncedVersionId: string | null;
}

export interface IncomingState {
  versionId: string;
  /** the source's real updatedAt, from the file */
  updatedAt: Date;
}

export interface Decision {
  action: Action;
  outcome: Outcome;
  reason: string;
}

const OUTCOME_OF: Readonly<Record<Action, Outcome>> = {
  insert: "inserted",
  update: "updated",
  unchanged: "unchanged",
  "skip-conflict": "skipped-conflict",
  "overwrite-conflict": "overwrote-conflict",
};

/** The reasons, shared word for word with the SQL. */
export const REASONS = {
  new: "new to this database",
  sameVersion: "this database already has this version",
  fastForward: "this database still has the version n8n-sync last wrote here",
  editedIncomingNewer: "edited here since the last sync; the file's version is newer",
  editedTargetNewer: "edited here since the last sync; this database's version is newer or as new",
  unsyncedIncomingNewer: "a different version exists here and was never synced; the file's version is newer",
  unsyncedTargetNewer: "a different version exists here and was never synced; this database's version is newer or as new",
} as const;

/** Outcomes whose migration_metadata row says which version the target holds from n8n-sync. */
export const SYNCED_OUTCOMES: readonly Outcome[] = ["inserted", "updated", "unchanged", "overwrote-conflict"];

export function resolveConflict(target: TargetState | null, incoming: IncomingState): Decision {
  if (target === null) return decide("insert", REASONS.new);
  if (target.versionId === incoming.versionId) return decide("unchanged", REASONS.sameVersion);
  if (target.lastSyncedVersionId !== null && target.versionId === target.lastSyncedVersionId) {
    return decide("update", REASONS.fastForward);
  }
  const incomingNewer = incoming.updatedAt.getTime() > target.updatedAt.getTime();
  const synced = target.lastSyncedVersionId !== null;
  if (incomingNewer) return decide("overwrite-conflict", synced ? REASONS.editedIncomingNewer : REASONS.unsyncedIncomingNewer);
  return decide("skip-conflict", synced ? REASONS.editedTargetNewer : REASONS.unsyncedTargetNewer);
}

function decide(action: Action, reason: string): Decision {
  return { action, outcome: OUTCOME_OF[action], reason };
}
