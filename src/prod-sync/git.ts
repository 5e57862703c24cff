// `npm run n8n:sync-from-prod` = export-prod, then `git add` of the files it wrote and `git status`, with
// MIGRATIONS_DIR taken from the configuration rather than hard-coded in package.json.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { UserError } from "../errors/errors.ts";

const run = promisify(execFile);

/** Stages the files export-prod wrote (nothing else in the folder); returns `git status` of the repository for the output. */
export async function stageMigrations(migrationsDir: string, files: readonly string[]): Promise<string> {
  try {
    await run("git", ["add", "--", ...files], { cwd: migrationsDir });
    const { stdout } = await run("git", ["status"], { cwd: migrationsDir });
    return stdout;
  } catch (error) {
    const detail = ((error as { stderr?: string }).stderr || (error as Error).message).trim().split("\n")[0];
    throw new UserError(`git add in ${migrationsDir} failed: ${detail} (is it inside a git repository?)`);
  }
}
