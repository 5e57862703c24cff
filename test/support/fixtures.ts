// The n8n databases tests start from: pg_dumps of databases real n8n created (test/fixtures/README.md).
import { readFileSync } from "node:fs";
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

const FIXTURE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures");

export function fixtureSql(name: FixtureName): string | undefined {
  const file = FIXTURES[name].file;
  return file ? readFileSync(path.join(FIXTURE_DIR, file), "utf8") : undefined;
}
