// `n8n-sync init [--migrations-dir <dir>] [--shell-scripts <dir>] [--force] [--dry-run]`, at the root of
// the team's repository.
import { createOutput } from "../../output/output.ts";
import { init } from "../../init/init.ts";
import { createProgram } from "../main.ts";

const WOULD = { create: "would create", update: "would update", unchanged: "unchanged", kept: "would keep" } as const;

export const initCommand = createProgram("init", "wire n8n-sync into this repository: package.json scripts, .env templates, GitHub workflows, shell scripts")
  .option("--migrations-dir <dir>", "the Supabase migrations folder (default: supabase/migrations, or the one */supabase/migrations or apps/*/supabase/migrations)")
  .option("--shell-scripts <dir>", "where create-migration.sh, create-history-migration.sh and migrate-up.sh go (default: apps/n8n/scripts when apps/n8n/ exists)")
  .option("--force", "replace files and scripts that differ from what init writes")
  .option("--dry-run", "print the plan; change nothing")
  .option("--json", "print a machine-readable result")
  .addHelpText("after", "\nNever overwrites a file or script that differs (it says what it kept) unless --force; a second run changes nothing.\nExit codes: 0 done, 1 failure, 2 usage (no migrations folder found: pass --migrations-dir).")
  .action(async (opts) => {
    const out = createOutput({ json: Boolean(opts.json) });
    const result = await init({ root: process.cwd(), migrationsDir: opts.migrationsDir, shellScripts: opts.shellScripts, force: opts.force, dryRun: opts.dryRun });
    out.info(`init: migrations in ${result.migrationsDir}${result.shellScriptsDir ? `, shell scripts in ${result.shellScriptsDir}` : " (no apps/n8n/: shell scripts skipped; --shell-scripts <dir> writes them)"}${result.dryRun ? " (dry run)" : ""}`);
    for (const change of result.changes) {
      out.info(`  ${result.dryRun ? WOULD[change.kind] : change.kind} ${change.path}`);
      for (const line of change.detail) out.info(`      ${line}`);
    }
    const changed = result.changes.filter((c) => c.kind === "create" || c.kind === "update").length;
    out.info(changed === 0 ? "nothing to change" : `${changed} file(s) ${result.dryRun ? "would change" : "changed"}`);
    out.info("next steps (init cannot do these for you):");
    for (const line of result.nextSteps) out.info(line);
    out.result(result);
  });
