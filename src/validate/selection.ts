// Which files validate checks: the ones given, else every file of the folder (--all), else the
// migration files changed against the main branch, falling back to every file without git.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { classifyFileName } from "../migrations/files.ts";
import { changedMigrationFiles } from "./changed-files.ts";

export interface Selection {
  files: string[];
  /** "given", "all", or "changed against <ref>" */
  scope: string;
  /** why every file is checked although only changed ones were asked for */
  warning?: string;
}

export async function selectFiles(options: { files: readonly string[]; all?: boolean; base?: string | undefined; migrationsDir: string }): Promise<Selection> {
  if (options.files.length > 0) return { files: [...options.files], scope: "given" };
  if (!options.all) {
    const changed = await changedMigrationFiles(options.migrationsDir, options.base ? [options.base] : undefined);
    if (changed) return { files: changed.files, scope: `changed against ${changed.against}` };
    const warning = `git or the ${options.base ?? "main"} branch is not available: checking every file in ${options.migrationsDir}`;
    return { files: await migrationFilesIn(options.migrationsDir), scope: "all", warning };
  }
  return { files: await migrationFilesIn(options.migrationsDir), scope: "all" };
}

/** Files of the folder that are migrations or look like one (near misses get a problem); [] when missing. */
export async function migrationFilesIn(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return entries.filter((file) => classifyFileName(file).kind !== "ignored").sort().map((file) => path.join(dir, file));
}
