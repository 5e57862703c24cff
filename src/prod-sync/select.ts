// Which production workflows a run exports: those changed in the last N days, or the ones named by
// --name / --id; archived ones only on request (the export pipeline then leaves out versions that
// already have a migration, from either side). Pure.
import { ExitCode, UserError } from "../errors/errors.ts";
import type { SummaryFilter } from "../n8n/read.ts";

export const DEFAULT_DAYS = 7;

export interface Selection {
  /** changed within this many days (ignored when names or ids are given) */
  days: number;
  names: readonly string[];
  ids: readonly string[];
  includeArchived: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function selectionFilter(selection: Selection, now: Date): SummaryFilter {
  const byName = selection.names.length > 0 || selection.ids.length > 0;
  return byName
    ? { names: selection.names, ids: selection.ids, includeArchived: selection.includeArchived }
    : { changedSince: new Date(now.getTime() - selection.days * DAY_MS), includeArchived: selection.includeArchived };
}

/** For people: "changed in the last 7 days", "named Orders, id abc". */
export function describeSelection(selection: Selection): string {
  const parts = [
    ...(selection.names.length > 0 ? [`named ${selection.names.map((n) => JSON.stringify(n)).join(", ")}`] : []),
    ...(selection.ids.length > 0 ? [`with id ${selection.ids.join(", ")}`] : []),
  ];
  const what = parts.length > 0 ? parts.join(" or ") : `changed in the last ${selection.days} day${selection.days === 1 ? "" : "s"}`;
  return selection.includeArchived ? `${what} (archived included)` : what;
}

/** --days / EXPORT_PROD_DAYS: a whole number of days, at least 1. */
export function parseDays(value: string | undefined, origin: string): number {
  return value === undefined || value.trim() === "" ? DEFAULT_DAYS : parsePositiveInt(value, origin);
}

/** A whole number of 1 or more, from a flag or variable. */
export function parsePositiveInt(value: string, origin: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${origin} must be a whole number of 1 or more, got "${value}"`, ExitCode.USAGE);
  return n;
}
