// Checks migration files before review: `tsx scripts/validate.ts [files...]` (default: the migration
// files changed against the main branch, or every file when git or the branch is not there).
import path from "node:path";
import { createProgram, envOption, runMain } from "../src/cli/main.ts";
import { ExitCode } from "../src/cli/exit-codes.ts";
import { createOutput } from "../src/cli/output.ts";
import { loadConfig } from "../src/config.ts";
import { listMigrationFiles } from "../src/migrations/files.ts";
import { DEFAULT_ALLOWLIST_FILE, readAllowlist } from "../src/prod-sync/allowlist.ts";
import { changedMigrationFiles } from "../src/validate/changed-files.ts";
import { formatProblem } from "../src/validate/problem.ts";
import { validateFiles } from "../src/validate/validate.ts";

/** validate reads files only: a DATABASE_URL is not needed (CI runs it without one). */
const NO_DATABASE = "postgresql://validate-does-not-connect@localhost/none";

const program = createProgram("n8n:validate", "check migration files: names, headers, workflow JSON, credentials, secrets, SQL splitting")
  .argument("[files...]", "files to check (default: migration files changed against the main branch)")
  .addOption(envOption())
  .option("--all", "check every file in MIGRATIONS_DIR")
  .option("--base <ref>", "compare with this branch instead of origin/main, then main")
  .option("--allowlist <file>", "accepted secret findings", DEFAULT_ALLOWLIST_FILE)
  .option("--json", "print a machine-readable result")
  .addHelpText("after", "\nPrints one line per problem, `file:line: problem`. Exit codes: 0 no problems, 1 problems found, 2 usage.")
  .action(async (files: string[], opts) => {
    const config = loadConfig({ env: opts.env, processEnv: { DATABASE_URL: NO_DATABASE, ...process.env } });
    const out = createOutput({ json: Boolean(opts.json) });
    let scope: string;
    if (files.length === 0 && !opts.all) {
      const changed = await changedMigrationFiles(config.migrationsDir, opts.base ? [opts.base] : undefined);
      if (changed) {
        files = changed.files;
        scope = `changed against ${changed.against}`;
      } else {
        out.warn(`git or the ${opts.base ?? "main"} branch is not available: checking every file in ${config.migrationsDir}`);
        scope = "all";
      }
    } else {
      scope = files.length > 0 ? "given" : "all";
    }
    if (scope === "all") files = await allFiles(config.migrationsDir);
    const result = await validateFiles({ files, allowlist: await readAllowlist(path.resolve(opts.allowlist)) });
    for (const problem of result.problems) out.info(formatProblem(problem));
    out.result({ scope, ...result });
    const what = `${result.checked} migration file${result.checked === 1 ? "" : "s"} (${scope})`;
    if (result.problems.length > 0) {
      out.error(`${result.problems.length} problem${result.problems.length === 1 ? "" : "s"} in ${what}: fix them (docs/security.md has the review checklist), then rerun`);
      process.exitCode = ExitCode.FAILURE;
    } else {
      out.info(`validated ${what}: no problems`);
    }
  });

/** Every file directly in the folder that is or looks like a migration (near misses get a problem). */
async function allFiles(dir: string): Promise<string[]> {
  const folder = await listMigrationFiles(dir);
  const nearMisses = folder.warnings.flatMap((w) => /^ignoring (.+?): /.exec(w)?.[1] ?? []);
  return [...folder.migrations.map((m) => m.path), ...nearMisses.map((file) => path.join(dir, file))].sort();
}

await runMain(program);
