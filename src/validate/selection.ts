// Which files validate checks: the ones given, else every file of the folder (--all), else the
// migration files changed against the main branch, falling back to every file without git.
import { readdir, stat } from "node:fs/promises";
import { UserError } from "../errors/errors.ts";
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
  await checkFolder(options.migrationsDir);
  if (!options.all) {
    const changed = await changedMigrationFiles(options.migrationsDir, options.base ? [options.base] : undefined);
    if (changed) return { files: changed.files, scope: `changed against ${changed.against}` };
    const warning = `git or the ${options.base ?? "main"} branch is not available: checking every file in ${options.migrationsDir}`;
    return { files: await migrationFilesIn(options.migrationsDir), scope: "all", warning };
  }
  return { files: await migrationFilesIn(options.migrationsDir), scope: "all" };
}

/** A missing folder is a typo in MIGRATIONS_DIR, not a folder without problems: "validated 0 files" would pass CI. */
async function checkFolder(dir: string): Promise<void> {
  try {
    if ((await stat(dir)).isDirectory()) return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT" && (error as NodeJS.ErrnoException).code !== "ENOTDIR") throw error;
    throw new UserError(`MIGRATIONS_DIR ${dir} does not exist: set MIGRATIONS_DIR to the migrations folder (or pass the files to check)`);
  }
  throw new UserError(`MIGRATIONS_DIR ${dir} is a file, not a folder: set MIGRATIONS_DIR to the migrations folder`);
}

/** Files of the folder that are migrations or look like one (near misses get a problem). */
export async function migrationFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir);
  return entries.filter((file) => classifyFileName(file).kind !== "ignored").sort().map((file) => path.join(dir, file));
}
