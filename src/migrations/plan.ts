// Pure: what a run must do, from the files on disk and the history in the database.
import type { LocalMigration } from "./files.ts";
import type { AppliedMigration } from "./history.ts";

export interface Drift {
  migration: LocalMigration;
  applied: AppliedMigration;
}

export interface Plan {
  /** files to apply, in version order (out-of-order ones included) */
  pending: LocalMigration[];
  /** pending files older than the newest applied version (branches merged late) */
  outOfOrder: LocalMigration[];
  /** applied versions with no local file */
  missingLocal: AppliedMigration[];
  /** applied files whose statements differ from what was applied */
  drifted: Drift[];
  /** applied versions that have a local file */
  appliedCount: number;
}

/**
 * localDigests: statementsDigest of each local file (only applied ones are compared). An
 * applied row without stored statements cannot drift.
 */
export function planMigrations(
  local: readonly LocalMigration[],
  applied: readonly AppliedMigration[],
  localDigests: ReadonlyMap<string, string>,
): Plan {
  const appliedByVersion = new Map(applied.map((row) => [row.version, row]));
  const localVersions = new Set(local.map((m) => m.version));
  const newestApplied = applied.reduce<string | undefined>((max, row) => (max === undefined || row.version > max ? row.version : max), undefined);

  const pending: LocalMigration[] = [];
  const drifted: Drift[] = [];
  let appliedCount = 0;
  for (const migration of local) {
    const row = appliedByVersion.get(migration.version);
    if (!row) {
      pending.push(migration);
      continue;
    }
    appliedCount++;
    const digest = localDigests.get(migration.version);
    if (row.digest !== null && digest !== undefined && digest !== row.digest) drifted.push({ migration, applied: row });
  }
  return {
    pending,
    outOfOrder: newestApplied === undefined ? [] : pending.filter((m) => m.version < newestApplied),
    missingLocal: applied.filter((row) => !localVersions.has(row.version)),
    drifted,
    appliedCount,
  };
}

/** The plan's findings as file names, as migrate-up's and status's results (and their --json) show them. */
export function planFindings(plan: Plan): { outOfOrder: string[]; missingLocal: string[]; drifted: string[] } {
  return {
    outOfOrder: plan.outOfOrder.map((m) => m.file),
    missingLocal: plan.missingLocal.map((row) => (row.name ? `${row.version}_${row.name}` : row.version)),
    drifted: plan.drifted.map((d) => d.migration.file),
  };
}

/** Refusal message, or undefined to go on (warnings given to `warn`). */
export function checkPlan(
  plan: Plan,
  duplicates: readonly string[],
  options: { allowDrift?: boolean; strictOrder?: boolean },
  warn: (line: string) => void,
): string | undefined {
  if (duplicates.length > 0) {
    return `more than one migration file has version ${duplicates.join(", ")}: give each file its own timestamp`;
  }
  if (plan.missingLocal.length > 0) {
    warn(`applied migrations with no local file (another branch, or deleted): ${plan.missingLocal.map((r) => r.version).join(", ")}`);
  }
  if (plan.drifted.length > 0) {
    const files = plan.drifted.map((d) => d.migration.file).join(", ");
    if (!options.allowDrift) {
      return `applied migration changed since it was applied: ${files}. Restore the file from Git, or put the change in a new migration (--allow-drift continues anyway)`;
    }
    warn(`applied migration changed since it was applied (allowed by --allow-drift): ${files}`);
  }
  if (plan.outOfOrder.length > 0) {
    const files = plan.outOfOrder.map((m) => m.file).join(", ");
    if (options.strictOrder) {
      return `pending migrations older than the newest applied one (--strict-order): ${files}. Rename them to a newer timestamp, or run without --strict-order`;
    }
    warn(`applying out of order (older than the newest applied migration): ${files}`);
  }
  return undefined;
}
