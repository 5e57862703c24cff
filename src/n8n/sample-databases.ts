// The n8n databases the tests, the bench and the demo start from: pg_dumps of databases real n8n created
// (n8n-databases/README.md). The folder ships in the package, so the demo finds it from its bundle too.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURES = {
  /** n8n 2.41.1, tables in schema public */
  n8n2: { file: "n8n-2.41.1-postgres.sql", schema: "public", n8nVersion: "2.41.1" },
  /** n8n 2.41.1 started with DB_POSTGRESDB_SCHEMA=n8n */
  n8n2schema: { file: "n8n-2.41.1-postgres-schema-n8n.sql", schema: "n8n", n8nVersion: "2.41.1" },
  /** n8n 1.123.81, tables in schema public */
  n8n1: { file: "n8n-1.123.81-postgres.sql", schema: "public", n8nVersion: "1.123.81" },
  /** a fresh database on which n8n has not started yet */
  empty: { file: undefined, schema: "public", n8nVersion: undefined },
} as const;

export type FixtureName = keyof typeof FIXTURES;

const DUMPS_FOLDER = "n8n-databases";

export function fixtureSql(name: FixtureName): string | undefined {
  const file = FIXTURES[name].file;
  return file ? readFileSync(path.join(dumpsDir(), file), "utf8") : undefined;
}

/** n8n-databases/ at the package root: two folders up from src/n8n/, one up from a bundle in dist/. */
function dumpsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, DUMPS_FOLDER))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`${DUMPS_FOLDER}/ is missing from the n8n-sync package: reinstall it`);
    dir = parent;
  }
  return path.join(dir, DUMPS_FOLDER);
}
