// File names of workflow migrations: `<UTC YYYYMMDDHHMMSS>_[prod_sync_]<slug>.sql`, the Supabase CLI's
// `<version>_<name>.sql`. The version comes from an injected clock and never repeats one already in
// the folder (Supabase keys its history by version alone), so it is bumped a second at a time.

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
  /** file names already in the migrations folder (and those written earlier in this run) */
  existing: Iterable<string>;
  /** e.g. PROD_SYNC_PREFIX */
  prefix?: string;
}

export function migrationFileName(options: FileNameOptions): string {
  const taken = new Set<string>();
  for (const file of options.existing) {
    const match = VERSION.exec(file);
    if (match) taken.add(match[1]!);
  }
  let time = Math.floor(options.now.getTime() / 1000) * 1000;
  while (taken.has(versionStamp(new Date(time)))) time += 1000;
  return `${versionStamp(new Date(time))}_${options.prefix ?? ""}${slugify(options.workflowName)}.sql`;
}
