// A "prod" database restored from a fixture with workflows changed at various ages, a fresh migrations
// folder, and readers of what export-prod wrote.
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { exportProd, type ExportProdOptions, type ExportProdResult } from "../../../src/prod-sync/export-prod.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";

export const DAY = 24 * 60 * 60 * 1000;

export async function migrationsDir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), "prod-sync-"));
}

const databases: TestDatabase[] = [];

/** A database cloned from a fixture; dropped by dropDatabases (afterEach / afterAll). */
export async function database(fixture: Parameters<typeof createTestDatabase>[0] = "n8n2"): Promise<TestDatabase> {
  const db = await createTestDatabase(fixture);
  databases.push(db);
  return db;
}

export async function dropDatabases(): Promise<void> {
  await Promise.all(databases.splice(0).map((db) => db.drop()));
}

/** exportProd against a test database with the defaults of the command (7 days, nothing allowed). */
export function runExport(
  prod: TestDatabase,
  dir: string,
  options: Partial<Omit<ExportProdOptions, "selection">> & { selection?: Partial<ExportProdOptions["selection"]> } = {},
): Promise<ExportProdResult> {
  return exportProd({
    envName: "production",
    databaseUrl: prod.url,
    schema: prod.schema,
    migrationsDir: dir,
    ...options,
    selection: { days: 7, names: [], ids: [], includeArchived: false, ...options.selection },
  });
}

/** The .sql files in the folder with their content. */
export async function filesIn(dir: string): Promise<Array<{ file: string; sql: string }>> {
  const names = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  return Promise.all(names.map(async (file) => ({ file, sql: await readFile(path.join(dir, file), "utf8") })));
}
