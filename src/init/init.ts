// `n8n-sync init` at the root of a team's repository: wires n8n-sync in (package.json scripts, env
// templates, .gitignore, GitHub workflows and PR template, the shell entry points) without overwriting
// anything that differs, unless --force. Running it again changes nothing.
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { ExitCode, UserError } from "../errors/errors.ts";
import { chooseMigrationsDir, findMigrationsDirs } from "./locate.ts";
import { nextSteps } from "./next-steps.ts";
import { planScripts } from "./package-scripts.ts";
import { planFile, planGitignore, withScripts, type Change, type ChangeKind } from "./plan.ts";
import { projectFiles, shellScripts } from "./templates.ts";

export interface InitOptions {
  /** the repository root (where package.json is) */
  root: string;
  /** --migrations-dir, relative to root */
  migrationsDir?: string | undefined;
  /** --shell-scripts: where the shell entry points go (default apps/n8n/scripts when apps/n8n/ exists) */
  shellScripts?: string | undefined;
  force?: boolean;
  dryRun?: boolean;
}

export interface InitResult {
  migrationsDir: string;
  /** undefined when no shell scripts were written (no apps/n8n/ and no --shell-scripts) */
  shellScriptsDir: string | undefined;
  dryRun: boolean;
  changes: Array<{ path: string; kind: ChangeKind; detail: string[] }>;
  /** what is left for a person, numbered lines (nextSteps) */
  nextSteps: string[];
}

export async function init(options: InitOptions): Promise<InitResult> {
  const { root } = options;
  const force = Boolean(options.force);
  const packageJson = await readIfExists(path.join(root, "package.json"));
  if (packageJson === undefined) throw new UserError(`no package.json in ${root}: run n8n-sync init at the root of your repository`, ExitCode.USAGE);
  const migrationsDir = chooseMigrationsDir(findMigrationsDirs(root), options.migrationsDir);
  const shellScriptsDir = options.shellScripts ?? (existsSync(path.join(root, "apps", "n8n")) ? "apps/n8n/scripts" : undefined);

  const scripts = packageJsonChange(packageJson, force);
  const changes: Change[] = [scripts.change, planGitignore(await readIfExists(path.join(root, ".gitignore")))];
  for (const file of [...projectFiles(migrationsDir), ...(shellScriptsDir ? shellScripts(shellScriptsDir) : [])]) {
    changes.push(planFile(file, await readIfExists(path.join(root, file.path)), force && !file.neverReplace));
  }
  if (!options.dryRun) {
    for (const change of changes.filter((c) => c.kind === "create" || c.kind === "update")) {
      const file = path.join(root, change.path);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, change.content);
      if (change.mode !== undefined) await chmod(file, change.mode);
    }
  }
  return {
    migrationsDir,
    shellScriptsDir,
    dryRun: Boolean(options.dryRun),
    changes: changes.map(({ path, kind, detail }) => ({ path, kind, detail })),
    nextSteps: nextSteps({ missingStartScripts: scripts.missingStartScripts }),
  };
}

function packageJsonChange(text: string, force: boolean): { change: Change; missingStartScripts: string[] } {
  let scripts: Record<string, string>;
  try {
    scripts = (JSON.parse(text) as { scripts?: Record<string, string> }).scripts ?? {};
  } catch (error) {
    throw new UserError(`package.json is not valid JSON (${(error as Error).message}): fix it, then rerun init`);
  }
  const plan = planScripts(scripts, force);
  const kind: ChangeKind = plan.changed.length > 0 ? "update" : plan.kept.length > 0 ? "kept" : "unchanged";
  return {
    change: { path: "package.json", content: plan.changed.length > 0 ? withScripts(text, plan.scripts) : text, kind, detail: [...plan.changed, ...plan.kept] },
    missingStartScripts: plan.missingStartScripts,
  };
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
