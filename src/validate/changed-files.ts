// Which migration files a pull request changes: those differing from the merge base with the main
// branch (origin/main, else main), uncommitted and untracked ones included. undefined when git or the
// branch is not there: the caller then checks every file.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface ChangedFiles {
  /** absolute paths of changed files directly in the migrations folder that still exist */
  files: string[];
  /** the ref compared with, e.g. origin/main */
  against: string;
}

export async function changedMigrationFiles(migrationsDir: string, bases: readonly string[] = ["origin/main", "main"]): Promise<ChangedFiles | undefined> {
  const git = async (...args: string[]) => (await run("git", args, { cwd: path.dirname(migrationsDir), maxBuffer: 64 * 1024 * 1024 })).stdout;
  let root: string;
  try {
    root = (await git("rev-parse", "--show-toplevel")).trim();
  } catch {
    return undefined;
  }
  for (const base of bases) {
    let mergeBase: string;
    try {
      mergeBase = (await git("merge-base", "HEAD", base)).trim();
    } catch {
      continue;
    }
    const relativeDir = path.relative(root, migrationsDir) || ".";
    const [changed, untracked] = await Promise.all([
      git("-C", root, "diff", "--name-only", "--diff-filter=ACMR", "--no-renames", mergeBase, "--", relativeDir),
      git("-C", root, "ls-files", "--others", "--exclude-standard", "--", relativeDir),
    ]);
    const files = [...new Set(`${changed}\n${untracked}`.split("\n").filter(Boolean))]
      .map((file) => path.join(root, file))
      .filter((file) => path.dirname(file) === migrationsDir)
      .sort();
    return { files, against: base };
  }
  return undefined;
}
