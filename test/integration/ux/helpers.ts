// Shared by the UX tests: a project folder configured for a test database, and export / migrate-up
// through the library functions the scripts call.
import { databaseTarget } from "../../../src/config/config.ts";
import { loadConfig, type Config } from "../../../src/config/config.ts";
import { migrateUp, type MigrateUpResult } from "../../../src/migrate-up/migrate-up.ts";
import { exportWorkflows, type ExportResult } from "../../../src/workflows/export.ts";
import type { TestDatabase } from "../../support/db.ts";
import { migrationsFolder, type Folder } from "../migrations/helpers.ts";

export { migrationsFolder, runScript, type Folder } from "../migrations/helpers.ts";

/** The environment variables that point a script at a test database and folder. */
export function envFor(db: Pick<TestDatabase, "url" | "schema">, folder: Folder): Record<string, string> {
  return { DATABASE_URL: db.url, MIGRATIONS_DIR: folder.migrationsDir, N8N_DB_SCHEMA: db.schema };
}

export function configFor(db: Pick<TestDatabase, "url" | "schema">, folder: Folder): Config {
  return loadConfig({ env: "test", cwd: folder.dir, processEnv: envFor(db, folder) });
}

/** A clock that moves one minute per call, so every export gets its own version. */
export function steppingClock(start = new Date("2025-10-03T12:00:00Z")): () => Date {
  let t = start.getTime();
  return () => new Date((t += 60_000));
}

export function exportFrom(db: TestDatabase, folder: Folder, names: string[], clock: () => Date): Promise<ExportResult> {
  return exportWorkflows({ ...databaseTarget(configFor(db, folder)), names, clock: clock });
}

export function migrate(db: Pick<TestDatabase, "url" | "schema">, folder: Folder): Promise<MigrateUpResult> {
  return migrateUp({ databaseUrl: db.url, migrationsDir: folder.migrationsDir, settings: { schema: db.schema }, lockWaitMs: 10_000 });
}

export function newFolder(): Folder {
  return migrationsFolder();
}
