// The n8n databases the tests, the bench and the demo start from: pg_dumps of databases real n8n created
// (n8n-databases/README.md). The folder ships in the package, so the demo finds it from its bundle too.
import { readFileSync } from "node:fs";
import path from "node:path";
import { packageFile } from "../package/package-files.ts";

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

export function fixtureSql(name: FixtureName): string | undefined {
  const file = FIXTURES[name].file;
  return file ? readFileSync(packageFile(path.join("n8n-databases", file)), "utf8") : undefined;
}
