// Checks migration files before review: `tsx scripts/validate.ts [files...]` (default: the migration
// files changed against the main branch, or every file when git or the branch is not there).
import path from "node:path";
import { createProgram, envOption } from "../main.ts";
import { ExitCode } from "../../errors/errors.ts";
import { createOutput } from "../../output/output.ts";
import { ConfigError, loadConfig, loadFilesConfig } from "../../config/config.ts";
import { checkNodeTypes } from "../../validate/node-type-check.ts";
import { DEFAULT_ALLOWLIST_FILE, readAllowlist } from "../../secrets/allowlist.ts";
import { selectFiles } from "../../validate/selection.ts";
import { formatProblem, githubAnnotation, validateSummary } from "../../validate/problem.ts";
import { validateFiles } from "../../validate/validate.ts";

export const validateCommand = createProgram("validate", "check migration files: names, headers, workflow JSON, credentials, secrets, SQL splitting")
  .argument("[files...]", "files to check (default: migration files changed against the main branch)")
  .addOption(envOption())
  .option("--all", "check every file in MIGRATIONS_DIR")
  .option("--base <ref>", "compare with this branch instead of origin/main, then main")
  .option("--allowlist <file>", "accepted secret findings", DEFAULT_ALLOWLIST_FILE)
  .option("--values-file <file>", "the environment values file (else N8N_VALUES_FILE, else supabase/n8n-values.json)")
  .option("--json", "print a machine-readable result")
  .addHelpText(
    "after",
    "\nPrints one line per problem, `file:line: problem` (in GitHub Actions also an annotation on the pull request).\nExit codes: 0 no problems, 1 problems found, 2 usage.",
  )
  .action(async (files: string[], opts) => {
    const config = loadFilesConfig({ env: opts.env });
    const out = createOutput({ json: Boolean(opts.json) });
    const selection = await selectFiles({ files, all: opts.all, base: opts.base, migrationsDir: config.migrationsDir });
    if (selection.warning) out.warn(selection.warning);
    const { scope } = selection;
    const result = await validateFiles({
      files: selection.files,
      allowlist: await readAllowlist(path.resolve(opts.allowlist)),
      valuesFile: opts.valuesFile ? path.resolve(opts.valuesFile) : config.valuesFile,
    });
    // --env with a database: the files' node types are also checked against it (community packages, policy, version).
    let warnings: typeof result.problems = [];
    const database = opts.env ? databaseOf(opts.env) : undefined;
    if (database) {
      const checked = await checkNodeTypes({ ...database, files: selection.files });
      result.problems.push(...checked.problems);
      warnings = checked.warnings;
    } else if (opts.env) {
      out.warn(`no DATABASE_URL for env ${opts.env}: node types not checked against a database`);
    }
    const annotate = config.githubActions && !opts.json;
    for (const problem of result.problems) out.info(annotate ? `${formatProblem(problem)}\n${githubAnnotation(problem)}` : formatProblem(problem));
    for (const warning of warnings) out.warn(annotate ? `${formatProblem(warning)}\n${githubAnnotation(warning, "warning")}` : formatProblem(warning));
    out.result({ scope, ...result, ...(database ? { warnings } : {}) });
    const summary = validateSummary(result.checked, result.problems.length, scope);
    if (result.problems.length > 0) {
      out.error(summary);
      process.exitCode = ExitCode.FAILURE;
    } else {
      out.info(summary);
    }
  });

/** The database of --env, when that environment has one configured. */
function databaseOf(env: string): { databaseUrl: string; schema: string; envName: string } | undefined {
  try {
    const config = loadConfig({ env });
    return { databaseUrl: config.databaseUrl, schema: config.n8nSchema, envName: config.envName };
  } catch (error) {
    if (error instanceof ConfigError && /DATABASE_URL is not set/.test(error.message)) return undefined;
    throw error;
  }
}
