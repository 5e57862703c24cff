// n8n-sync diff, the library function behind the command: which migration files to compare (the ones
// named by path, workflow name or id, else those changed against the base branch, as validate finds
// them), what each is compared with (the newest earlier migration of the same workflow in its folder,
// or what an environment's database has now), and the differ's result for each. Reads files only; the
// environment's workflows come through `environment.read`, which the command backs with a read-only
// session.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../errors/errors.ts";
import { changedMigrationFiles } from "../validate/changed-files.ts";
import { closeMatches, didYouMean } from "../workflows/close-matches.ts";
import { readWorkflowMigrations, type ExistingMigration } from "../workflows/existing.ts";
import { parseHeader, parseRollsBack } from "../workflows/header.ts";
import { readMigrationWorkflow } from "../workflows/read-migration.ts";
import { otherEnvironments, readMigrationEnvironment, readMigrationWorkflowAs, type MigrationEnvironment } from "../workflows/read-environment.ts";
import { replacementsOf, replaceValues } from "../workflows/environment-match.ts";
import type { ExportedWorkflow } from "../n8n/workflow.ts";
import { communityNodeUses } from "../n8n/node-types.ts";
import type { WorkflowVersion } from "./graph.ts";
import type { DiffReport } from "./render-markdown.ts";
import { diffWorkflows } from "./workflow-diff.ts";

export interface CompareOptions {
  migrationsDir: string;
  /** migration file paths, workflow names or ids; none: the files changed against `base` */
  targets: readonly string[];
  /** the ref to find changed files against (default origin/main, then main) */
  base?: string | undefined;
  /** compare with this environment's database instead of the earlier migration */
  environment?: { name: string; read(ids: readonly string[]): Promise<Map<string, ExportedWorkflow>> } | undefined;
  /** paths are shown relative to this folder (default: the working directory) */
  cwd?: string;
}

export interface CompareResult {
  /** "given", or "changed against <ref>" */
  scope: string;
  reports: DiffReport[];
  /** changed files that are not workflow migrations (nothing to compare) */
  skipped: string[];
}

export async function compareMigrations(options: CompareOptions): Promise<CompareResult> {
  const cwd = options.cwd ?? process.cwd();
  const migrationsDir = path.resolve(cwd, options.migrationsDir);
  const folder = await readWorkflowMigrations(migrationsDir);
  const { files, scope } = await selectFiles(options, migrationsDir, folder, cwd);
  const loaded: Array<{
    file: string;
    id: string;
    after: WorkflowVersion;
    rollsBack?: { env: string; versionId: string } | undefined;
    environment: MigrationEnvironment | undefined;
  }> = [];
  const skipped: string[] = [];
  for (const file of files) {
    const sql = await readFile(file, "utf8");
    const header = parseHeader(sql)?.header;
    const id = header?.workflowId;
    const workflow = readMigrationWorkflow(sql);
    if (!id || !workflow) {
      if (scope === "given") throw new UserError(`${shown(file, cwd)} is not a workflow migration (no n8n-sync header and workflow data): name a workflow migration`);
      skipped.push(shown(file, cwd));
      continue;
    }
    loaded.push({ file, id, after: workflow, rollsBack: parseRollsBack(header?.rollsBack), environment: readMigrationEnvironment(sql) });
  }
  const inEnvironment = options.environment ? await options.environment.read(loaded.map((entry) => entry.id)) : undefined;
  const reports: DiffReport[] = [];
  for (const { file, id, after: asWritten, rollsBack, environment } of loaded) {
    const values = environmentValues(environment, options.environment ? [options.environment.name] : undefined);
    const base = { file: shown(file, cwd), workflowId: id, name: asWritten.name, ...(values ? { environmentValues: values } : {}) };
    if (options.environment && inEnvironment) {
      const current = inEnvironment.get(id);
      const env = options.environment.name;
      // As the file would apply there: with that environment's values.
      const after = environment ? { ...asWritten, nodes: replaceValues(asWritten.nodes, environment.slots, environment.values, environment.name, env).nodes } : asWritten;
      if (!current) {
        reports.push({ ...base, against: { none: `not in ${env}'s database yet` }, diff: diffWorkflows(undefined, after) });
        continue;
      }
      // Applying the file keeps the target's active flag, except that archiving deactivates.
      // Its community nodes, as the environment's installed packages say (when the read knows them).
      const before: WorkflowVersion = {
        ...current,
        archived: current.isArchived,
        ...(current.nodeTypes ? { communityNodes: communityNodeUses(current.nodes, current.nodeTypes) } : {}),
      };
      reports.push({ ...base, against: { env }, diff: diffWorkflows(before, { ...after, active: current.active && !after.archived }) });
      continue;
    }
    const siblings = path.dirname(file) === migrationsDir ? folder : await readWorkflowMigrations(path.dirname(file));
    // An earlier file as this one's environment holds it (a file of another environment is converted).
    const readEarlier = async (name: string) => {
      const sql = await readFile(path.join(path.dirname(file), name), "utf8");
      return environment ? readMigrationWorkflowAs(sql, environment.name, environment.values) : readMigrationWorkflow(sql);
    };
    const after = asWritten;
    // A rollback: compared with the version its environment had (what it does there), when a file holds it.
    const replaced = rollsBack && siblings.find((m) => m.header.workflowId === id && m.header.versionId === rollsBack.versionId);
    if (rollsBack && replaced) {
      const before = await readEarlier(replaced.file);
      if (before) {
        reports.push({ ...base, against: { file: replaced.file, rollsBackIn: rollsBack.env }, diff: diffWorkflows(before, after) });
        continue;
      }
    }
    const note = rollsBack
      ? `${rollsBack.env} had version ${rollsBack.versionId} when this rollback was written, which no migration file holds (edited there): npm run n8n:diff -- ${base.file} --env ${rollsBack.env} shows what the rollback does there.`
      : undefined;
    const earlier = newestEarlier(siblings, id, path.basename(file));
    const before = earlier ? await readEarlier(earlier.file) : undefined;
    reports.push({
      ...base,
      against: earlier && before ? { file: earlier.file } : { none: "no earlier migration of this workflow in the folder" },
      ...(note ? { note } : {}),
      diff: diffWorkflows(before, after),
    });
  }
  return { scope, reports, skipped };
}

/** What applying the file does to its values in each environment (only `targets` when given). */
function environmentValues(environment: MigrationEnvironment | undefined, targets: readonly string[] | undefined): DiffReport["environmentValues"] {
  if (!environment || environment.slots.length === 0) return undefined;
  const envs = (targets ?? otherEnvironments(environment)).filter((env) => env !== environment.name);
  return {
    source: environment.name,
    targets: envs.map((env) => ({ env, replacements: replacementsOf(environment.slots, environment.values, environment.name, env) })),
  };
}

async function selectFiles(options: CompareOptions, migrationsDir: string, folder: readonly ExistingMigration[], cwd: string) {
  if (options.targets.length === 0) {
    const changed = await changedMigrationFiles(migrationsDir, options.base ? [options.base] : undefined);
    if (!changed) {
      throw new UserError(`git or the ${options.base ?? "main"} branch is not available: name the migration files, workflow names or ids to compare`);
    }
    return { files: changed.files, scope: `changed against ${changed.against}` };
  }
  const files: string[] = [];
  for (const target of options.targets) {
    const asPath = path.resolve(cwd, target);
    if (target.endsWith(".sql") && (await readFile(asPath).then(() => true, () => false))) {
      files.push(asPath);
      continue;
    }
    // A workflow id or name: its newest migration in the folder.
    const matching = folder.filter((m) => m.header.workflowId === target || m.header.workflowName === target);
    const newest = matching.at(-1);
    if (!newest) {
      const hints = closeMatches(target, folder.flatMap((m) => (m.header.workflowName ? [m.header.workflowName] : [])));
      throw new UserError(`no migration file, workflow name or workflow id ${JSON.stringify(target)} in ${shown(migrationsDir, cwd)}${didYouMean(hints)}`);
    }
    files.push(path.join(migrationsDir, newest.file));
  }
  return { files: [...new Set(files)], scope: "given" };
}

/** The newest migration of the workflow whose file sorts before `file` (file order is version order). */
function newestEarlier(folder: readonly ExistingMigration[], workflowId: string, file: string): ExistingMigration | undefined {
  return folder.filter((m) => m.header.workflowId === workflowId && m.file < file).at(-1);
}

/** Relative to the working directory when inside it (as a pull request shows it), else absolute. */
function shown(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative === "" ? "." : relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}
