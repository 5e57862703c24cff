// What init writes besides package.json: the env templates, GitHub workflows and PR template this
// repository uses itself (shipped in the package, pointed at the team's migrations folder), and the
// shell entry points (for teams that call scripts). Pure but for reading the shipped files.
import { readFileSync } from "node:fs";
import path from "node:path";
import { packageFile } from "../package/package-files.ts";
import { DEFAULT_VALUES_FILE } from "../workflows/environment-values.ts";

export interface WrittenFile {
  /** relative to the repository root */
  path: string;
  content: string;
  /** 0o755 for shell scripts */
  mode?: number;
  /** the team's own data once written (the values file): kept even with --force */
  neverReplace?: boolean;
}

/** The env templates and GitHub files, with MIGRATIONS_DIR (a path relative to the root) filled in. */
export function projectFiles(migrationsDir: string): WrittenFile[] {
  const shipped = (file: string) => readFileSync(packageFile(file), "utf8");
  const setDir = (text: string) => text.replace(/^MIGRATIONS_DIR=.*$/m, `MIGRATIONS_DIR=${migrationsDir}`);
  return [
    { path: ".env.development", content: setDir(shipped(".env.development")) },
    { path: ".env.production", content: setDir(shipped(".env.production")) },
    {
      path: ".github/workflows/n8n-migrations-check.yml",
      content: shipped(".github/workflows/n8n-migrations-check.yml")
        .replace('"supabase/migrations/**"', `"${migrationsDir}/**"`)
        .replace('"supabase/n8n-values.json"', `"${path.posix.join(path.posix.dirname(migrationsDir), DEFAULT_VALUES_FILE)}"`),
    },
    {
      path: ".github/workflows/n8n-prod-sync.yml",
      content: shipped(".github/workflows/n8n-prod-sync.yml").replace("'supabase/migrations'", `'${migrationsDir}'`),
    },
    { path: ".github/PULL_REQUEST_TEMPLATE/prod_sync.md", content: shipped(".github/PULL_REQUEST_TEMPLATE/prod_sync.md") },
    // The environment values file beside the migrations folder (workflows/environment-values-file.ts),
    // empty: nothing is replaced until the team names its first value.
    { path: path.posix.join(path.posix.dirname(migrationsDir), DEFAULT_VALUES_FILE), content: "{}\n", neverReplace: true },
  ];
}

const SHELL_SCRIPTS = [
  { file: "create-migration.sh", what: 'Export local workflows to migration files: create-migration.sh "Workflow Name"', run: 'exec npx --no-install n8n-sync export "$@"' },
  {
    file: "create-history-migration.sh",
    what: "Export recently changed production workflows as prod_sync_ migrations: create-history-migration.sh [name]",
    // A bare name means "this workflow"; no argument means "every workflow changed recently".
    run: 'if [ $# -ge 1 ] && [[ "$1" != -* ]]; then\n  name=$1\n  shift\n  exec npx --no-install n8n-sync export-prod --name "$name" "$@"\nfi\nexec npx --no-install n8n-sync export-prod "$@"',
  },
  { file: "migrate-up.sh", what: "Apply pending migrations (run before every start): migrate-up.sh", run: 'exec npx --no-install n8n-sync migrate-up "$@"' },
];

/** The shell entry points in dir (relative to the root); each runs from the root. */
export function shellScripts(dir: string): WrittenFile[] {
  const toRoot = path.posix.relative(dir, ".") || ".";
  return SHELL_SCRIPTS.map(({ file, what, run }) => ({
    path: path.posix.join(dir, file),
    mode: 0o755,
    content: `#!/usr/bin/env bash\n# ${what} (written by n8n-sync init; flags pass through).\nset -euo pipefail\ncd "$(dirname "\${BASH_SOURCE[0]}")/${toRoot}"\n${run}\n`,
  }));
}
