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
  /**
   * versionIds of this workflow in the target's workflow_history (at least the incoming ones that are
   * there): the target once held each of them, so it holds that version or a descendant of it now.
   */
  history: ReadonlySet<string>;
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

/** The action an outcome reports (a rehearsal's NOTICE says the outcome; a waiting file took none). */
export const ACTION_OF: Readonly<Record<Exclude<Outcome, "waiting">, Action>> = {
  inserted: "insert",
  updated: "update",
  unchanged: "unchanged",
  "skipped-conflict": "skip-conflict",
  "overwrote-conflict": "overwrite-conflict",
};

/** The reasons, shared word for word with the SQL. */
export const REASONS = {
  new: "new to this database",
  sameVersion: "this database already has this version",
  alreadyNewer: "this database already has a newer version (the file's version is in its history)",
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
  // Before fast-forward: a file never takes a workflow back to a version it has moved on from (a
  // rollback file brings a new versionId, so it is not one of these).
  if (target.history.has(incoming.versionId)) return decide("unchanged", REASONS.alreadyNewer);
  if (target.lastSyncedVersionId !== null && target.versionId === target.lastSyncedVersionId) {
    return decide("update", REASONS.fastForward);
  }
  const incomingNewer = incoming.updatedAt.getTime() > target.updatedAt.getTime();
  const synced = target.lastSyncedVersionId !== null;
  if (incomingNewer) return decide("overwrite-conflict", synced ? REASONS.editedIncomingNewer : REASONS.unsyncedIncomingNewer);
  return decide("skip-conflict", synced ? REASONS.editedTargetNewer : REASONS.unsyncedTargetNewer);
}

/**
 * What several pending files of one workflow do, applied in order (as migrate-up applies them): each
 * file meets the state the earlier ones leave, as the SQL records it (a written version is the target's
 * and in its history; every outcome but a skipped conflict makes the file's version the synced one).
 */
export function replayFiles(target: TargetState | null, files: readonly IncomingState[]): Decision[] {
  let state = target;
  return files.map((incoming) => {
    const decision = resolveConflict(state, incoming);
    if (decision.action === "skip-conflict") return decision;
    const writes = decision.action !== "unchanged";
    state = {
      versionId: writes ? incoming.versionId : state!.versionId,
      updatedAt: writes ? incoming.updatedAt : state!.updatedAt,
      lastSyncedVersionId: incoming.versionId,
      history: writes ? new Set([...(state?.history ?? []), incoming.versionId]) : state!.history,
    };
    return decision;
  });
}

function decide(action: Action, reason: string): Decision {
  return { action, outcome: OUTCOME_OF[action], reason };
}
