// `npm run n8n:sync-from-prod` = export-prod, then `git add <MIGRATIONS_DIR>` and `git status` (PRD),
// with MIGRATIONS_DIR taken from the configuration rather than hard-coded in package.json.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { UserError } from "../errors.ts";

const run = promisify(execFile);

/** Stages the migrations folder; returns `git status` of the repository for the output. */
export async function stageMigrations(migrationsDir: string): Promise<string> {
  try {
    await run("git", ["add", "--", migrationsDir], { cwd: migrationsDir });
    const { stdout } = await run("git", ["status"], { cwd: migrationsDir });
    return stdout;
  } catch (error) {
    const detail = ((error as { stderr?: string }).stderr || (error as Error).message).trim().split("\n")[0];
    throw new UserError(`git add ${migrationsDir} failed: ${detail} (is it inside a git repository?)`);
  }
}
