// File names of workflow migrations: `<UTC YYYYMMDDHHMMSS>_[prod_sync_]<slug>.sql`, the Supabase CLI's
// `<version>_<name>.sql`. The version comes from an injected clock and never repeats one already in
// the folder nor one given earlier in the run (Supabase keys its history by version alone): a taken
// version moves the file to the next free second.

const VERSION = /^(\d{14})_/;
const MAX_SLUG = 60;

/** Prefix of files exported from production by the prod-sync command. */
export const PROD_SYNC_PREFIX = "prod_sync_";

/** The UTC timestamp of `date` as YYYYMMDDHHMMSS. */
export function versionStamp(date: Date): string {
  return date.toISOString().replace(/\D/g, "").slice(0, 14);
}

/**
 * A name safe in any file system and shell: ASCII lower-case letters, digits and single underscores,
 * accents dropped ("Café Büro" -> "cafe_buro"); "workflow" when nothing is left.
 */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, MAX_SLUG)
    .replace(/_+$/, "");
  return slug || "workflow";
}

export interface FileNameOptions {
  workflowName: string;
  now: Date;
  /** file names already in the migrations folder */
  existing: Iterable<string>;
  /** e.g. PROD_SYNC_PREFIX */
  prefix?: string;
}

/** The file name of one migration written alone (e.g. a rollback). */
export function migrationFileName(options: FileNameOptions): string {
  return createVersionAllocator(options.existing).next(options.now, options.workflowName, options.prefix);
}

export interface VersionAllocator {
  /** the file name of the next migration: at `now` (whole seconds) or later, on a version nobody has */
  next(now: Date, workflowName: string, prefix?: string): string;
}

/**
 * Versions for the files of one run, made once from the folder's file names. Versions only move
 * forward within a run, so each taken version is stepped over at most once: thousands of files in one
 * second cost linear time, not quadratic.
 */
export function createVersionAllocator(existing: Iterable<string>): VersionAllocator {
  const taken = new Set<string>();
  for (const file of existing) {
    const match = VERSION.exec(file);
    if (match) taken.add(match[1]!);
  }
  let earliest = Number.NEGATIVE_INFINITY;
  return {
    next(now, workflowName, prefix = "") {
      let time = Math.max(Math.floor(now.getTime() / 1000) * 1000, earliest);
      while (taken.has(versionStamp(new Date(time)))) time += 1000;
      earliest = time + 1000;
      return `${versionStamp(new Date(time))}_${prefix}${slugify(workflowName)}.sql`;
    },
  };
}
