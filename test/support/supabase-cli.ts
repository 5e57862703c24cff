// The real Supabase CLI (the pinned devDependency) run against a test database, in a throwaway project
// folder holding supabase/config.toml and supabase/migrations/. Tests use it to check that n8n-sync and
// the CLI read and write the same migration history.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SUPABASE_BIN = path.join(ROOT, "node_modules/.bin/supabase");

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface SupabaseProject {
  /** the project folder (holds supabase/) */
  dir: string;
  migrationsDir: string;
  /** writes (or replaces) a migration file */
  writeMigration(file: string, sql: string): string;
  /** `supabase <args>` in the project folder; never throws on a non-zero exit */
  run(args: readonly string[], options?: { timeoutMs?: number }): Promise<CliRun>;
  /** `supabase migration up --db-url <url>?sslmode=disable [--include-all]` */
  migrationUp(databaseUrl: string, options?: { includeAll?: boolean }): Promise<CliRun>;
  /** `supabase migration list --db-url <url>?sslmode=disable` */
  migrationList(databaseUrl: string): Promise<CliRun>;
  remove(): void;
}

/** The URL as the CLI needs it for a local server without TLS. */
export function cliDbUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set("sslmode", "disable");
  return url.toString();
}

export function createSupabaseProject(migrations: Record<string, string> = {}): SupabaseProject {
  const dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-supabase-"));
  const migrationsDir = path.join(dir, "supabase", "migrations");
  mkdirSync(migrationsDir, { recursive: true });
  writeFileSync(path.join(dir, "supabase", "config.toml"), 'project_id = "n8n-sync-test"\n');
  const project: SupabaseProject = {
    dir,
    migrationsDir,
    writeMigration(file, sql) {
      const target = path.join(migrationsDir, file);
      writeFileSync(target, sql);
      return target;
    },
    run(args, options = {}) {
      return new Promise((resolve) => {
        execFile(
          SUPABASE_BIN,
          [...args],
          // No telemetry, no update check, no colour codes in what tests read.
          { cwd: dir, timeout: options.timeoutMs ?? 60_000, env: { ...process.env, DO_NOT_TRACK: "1", NO_COLOR: "1", SUPABASE_TELEMETRY_DISABLED: "1" } },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
            resolve({ code, stdout: String(stdout), stderr: String(stderr) });
          },
        );
      });
    },
    migrationUp(databaseUrl, options = {}) {
      return project.run(["migration", "up", "--db-url", cliDbUrl(databaseUrl), ...(options.includeAll ? ["--include-all"] : [])]);
    },
    migrationList(databaseUrl) {
      return project.run(["migration", "list", "--db-url", cliDbUrl(databaseUrl)]);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
  for (const [file, sql] of Object.entries(migrations)) project.writeMigration(file, sql);
  return project;
}
