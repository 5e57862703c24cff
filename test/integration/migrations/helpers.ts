// Shared by the migrate-up integration tests: a migrations folder on disk, the script run as a real
// process, and the history as the database holds it.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import pg from "pg";
import { afterEach } from "vitest";
import { MIGRATION_LOCK_KEY } from "../../../src/migrations/lock.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import type { FixtureName } from "../../../src/samples/sample-databases.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");
const TSX_LOADER = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;

export interface Folder {
  /** project folder (cwd of scripts; holds no .env files) */
  dir: string;
  migrationsDir: string;
  write(file: string, sql: string): void;
}

export function migrationsFolder(files: Record<string, string> = {}): Folder {
  const dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-migrate-"));
  const migrationsDir = path.join(dir, "supabase", "migrations");
  mkdirSync(migrationsDir, { recursive: true });
  const folder = { dir, migrationsDir, write: (file: string, sql: string) => writeFileSync(path.join(migrationsDir, file), sql) };
  for (const [file, sql] of Object.entries(files)) folder.write(file, sql);
  return folder;
}

export interface ScriptRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `tsx scripts/<script>.ts args` in the folder, configured by environment variables only. */
export function runScript(script: string, args: readonly string[], env: Record<string, string>, cwd: string): Promise<ScriptRun> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      [path.join(ROOT, "scripts", `${script}.ts`), ...args],
      { cwd, timeout: 60_000, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1", ...env } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

export interface StartedScript {
  child: ChildProcess;
  /** stderr so far */
  stderr(): string;
  done: Promise<ScriptRun & { signal: NodeJS.Signals | null }>;
}

/**
 * As runScript, but the process is handed back, to be killed mid-run: one node process (tsx as a loader,
 * not tsx's CLI, which would run the script in a child that SIGKILL does not reach).
 */
export function startScript(script: string, args: readonly string[], env: Record<string, string>, cwd: string): StartedScript {
  const child = spawn(process.execPath, ["--import", TSX_LOADER, path.join(ROOT, "scripts", `${script}.ts`), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const done = new Promise<ScriptRun & { signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code: code ?? 1, signal, stdout, stderr })),
  );
  return { child, stderr: () => stderr, done };
}

export function migrateUpScript(db: TestDatabase, folder: Folder, args: readonly string[] = [], env: Record<string, string> = {}) {
  return runScript("migrate-up", args, { DATABASE_URL: db.url, MIGRATIONS_DIR: folder.migrationsDir, N8N_DB_SCHEMA: db.schema, ...env }, folder.dir);
}

export async function historyRows(db: TestDatabase): Promise<Array<{ version: string; name: string; statements: string[] }>> {
  return db.query("SELECT version, name, statements FROM supabase_migrations.schema_migrations ORDER BY version");
}

/** A maker of test databases (default: empty), each dropped after its test. Call at module level. */
export function perTestDatabases(): (fixture?: FixtureName) => Promise<TestDatabase> {
  const databases: TestDatabase[] = [];
  afterEach(async () => {
    await Promise.all(databases.splice(0).map((db) => db.drop()));
  });
  return async (fixture = "empty") => {
    const db = await createTestDatabase(fixture);
    databases.push(db);
    return db;
  };
}

/** Another holder of the migration lock (a session lock on a direct connection), until release(). */
export async function holdMigrationLock(db: TestDatabase): Promise<{ release(): Promise<void> }> {
  const holder = new pg.Client({ connectionString: db.url });
  await holder.connect();
  await holder.query(`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
  return { release: () => holder.end() };
}
