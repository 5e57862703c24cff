// Where the team's Supabase migrations live: `supabase/migrations` at the root, else exactly one
// `*/supabase/migrations` or `apps/*/supabase/migrations`; anything else is for --migrations-dir.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { ExitCode, UserError } from "../errors/errors.ts";

const MIGRATIONS = path.join("supabase", "migrations");

/** The candidate folders under root, relative to it (edge: reads the file system). */
export function findMigrationsDirs(root: string): string[] {
  if (isDir(path.join(root, MIGRATIONS))) return [MIGRATIONS];
  const children = (dir: string) =>
    existsSync(path.join(root, dir)) ? readdirSync(path.join(root, dir)).filter((name) => name !== "node_modules" && !name.startsWith(".")).map((name) => path.join(dir, name)) : [];
  const parents = [...children("."), ...children("apps")].map((dir) => path.normalize(dir));
  return [...new Set(parents.map((dir) => path.join(dir, MIGRATIONS)))].filter((dir) => isDir(path.join(root, dir))).sort();
}

/** Pure: the folder to use, from --migrations-dir or the one candidate; else a usage error saying what to pass. */
export function chooseMigrationsDir(candidates: readonly string[], flag: string | undefined): string {
  if (flag !== undefined) return path.normalize(flag);
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) {
    throw new UserError("found no supabase/migrations, */supabase/migrations or apps/*/supabase/migrations folder here: run init at your repository's root, or pass --migrations-dir <dir>", ExitCode.USAGE);
  }
  throw new UserError(`found ${candidates.length} migrations folders (${candidates.join(", ")}): pass --migrations-dir <dir> to pick one`, ExitCode.USAGE);
}

function isDir(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory();
}
