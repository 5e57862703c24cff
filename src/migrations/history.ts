// Supabase CLI's migration history, shared with it: supabase_migrations.schema_migrations(version text
// PRIMARY KEY, statements text[], name text), created and written exactly as CLI 2.117.0 does
// (pkg/migration/history.go, file.go): version and name from the file name, statements as the file's
// split and trimmed statements, so either tool sees the other's rows as its own.
import { createHash } from "node:crypto";
import type pg from "pg";
import { quoteLiteral } from "../db/db.ts";
import { INCOMPLETE_TABLE } from "./incomplete.ts";

export const HISTORY_TABLE = "supabase_migrations.schema_migrations";

/** The CLI's own DDL, in its order (it runs them under a 4 s lock_timeout). */
const CREATE_HISTORY_STATEMENTS = [
  "SET LOCAL lock_timeout = '4s'",
  "CREATE SCHEMA IF NOT EXISTS supabase_migrations",
  "CREATE TABLE IF NOT EXISTS supabase_migrations.schema_migrations (version text NOT NULL PRIMARY KEY)",
  "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS statements text[]",
  "ALTER TABLE supabase_migrations.schema_migrations ADD COLUMN IF NOT EXISTS name text",
];

export interface AppliedMigration {
  version: string;
  name: string;
  /** statementsDigest of the stored statements; null when none were stored (e.g. an old CLI's repair) */
  digest: string | null;
}

export interface History {
  /** the table exists with every column this tool writes */
  ready: boolean;
  /** the digest cache exists (else ensureDigestTable makes it before the next file is applied) */
  cachesDigests: boolean;
  /** in version order */
  applied: AppliedMigration[];
  /** a file stopped part-way outside a transaction (see incomplete.ts): read the details, refuse to run */
  incomplete: boolean;
}

/**
 * Separator and line-ending rule of the digest. The server computes the same digest over the stored array,
 * so a run reads one short row per applied file instead of every statement ever applied.
 */
const DIGEST_SEPARATOR = "\n;\n";

/** md5 over the statements joined by a separator, CRLF read as LF (a checkout may convert line endings). */
export function statementsDigest(statements: Iterable<string>): string {
  const hash = createHash("md5");
  let first = true;
  for (const statement of statements) {
    if (!first) hash.update(DIGEST_SEPARATOR);
    hash.update(statement.includes("\r\n") ? statement.replaceAll("\r\n", "\n") : statement, "utf8");
    first = false;
  }
  return hash.digest("hex");
}

/**
 * The digest of each history row this tool wrote, written in the row's own transaction: a start with
 * nothing pending then reads 1,000 short rows instead of detoasting and hashing every statement ever
 * applied (most of that start's time). A cached digest counts only while both rows carry the same xmin:
 * any later write of the history row (repair, another tool) gives it a new xmin, and its digest is then
 * computed from the statements as before. Our own table beside the CLI's, which stays as the CLI made it.
 */
export const DIGEST_TABLE = "supabase_migrations.n8n_sync_digests";
const CREATE_DIGEST_TABLE = `CREATE TABLE IF NOT EXISTS ${DIGEST_TABLE} (version text NOT NULL PRIMARY KEY, digest text NOT NULL)`;

const READ_INCOMPLETE_FLAG = `SELECT to_regclass('${INCOMPLETE_TABLE}') IS NOT NULL AS incomplete`;
const STORED_DIGEST = `md5(replace(array_to_string(h.statements, E'\\n;\\n'), E'\\r\\n', E'\\n'))`;
const readHistorySql = (cached: boolean) => `${READ_INCOMPLETE_FLAG};
SELECT h.version, coalesce(h.name, '') AS name,
  ${cached ? `CASE WHEN d.xmin = h.xmin THEN d.digest ELSE ${STORED_DIGEST} END` : STORED_DIGEST} AS digest
  FROM ${HISTORY_TABLE} h${cached ? ` LEFT JOIN ${DIGEST_TABLE} d USING (version)` : ""} ORDER BY h.version`;

/** One round trip (more only before this tool first applied a file); a database the CLI never touched has no history. */
export async function readHistory(client: pg.Client): Promise<History> {
  for (const cached of [true, false]) {
    try {
      const [flag, history] = (await client.query(readHistorySql(cached))) as unknown as [pg.QueryResult<{ incomplete: boolean }>, pg.QueryResult<AppliedMigration>];
      return { ready: true, cachesDigests: cached, applied: history.rows, incomplete: flag.rows[0]?.incomplete ?? false };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === "42P01" && cached) continue; // no digest cache yet, or no history at all
      if (code === "42P01" || code === "3F000") return { ready: false, cachesDigests: false, applied: [], incomplete: false };
      if (code !== "42703") throw error;
      break;
    }
  }
  // A table made by an old CLI, before the statements and name columns: versions only.
  const { rows } = await client.query<{ version: string }>(`SELECT version FROM ${HISTORY_TABLE} ORDER BY version`);
  return { ready: false, cachesDigests: false, applied: rows.map((row) => ({ version: row.version, name: "", digest: null })), incomplete: false };
}

/** Creates the schema and table (or the missing columns) as the CLI does. */
export async function ensureHistoryTable(client: pg.Client): Promise<void> {
  await client.query(["BEGIN", ...CREATE_HISTORY_STATEMENTS, "COMMIT"].join(";\n"));
}

/**
 * Creates the digest cache when missing; whether this run may write it. A role that may write the
 * history need not own its schema nor the cache another role made: the run then works without the cache.
 */
export async function ensureDigestTable(client: pg.Client, exists: boolean): Promise<boolean> {
  if (!exists) {
    try {
      await client.query(CREATE_DIGEST_TABLE);
    } catch (error) {
      if ((error as { code?: string }).code === "42501") return false;
      throw error;
    }
  }
  const { rows } = await client.query<{ writable: boolean }>(`SELECT has_table_privilege('${DIGEST_TABLE}', 'INSERT, UPDATE') AS writable`);
  return rows[0]?.writable === true;
}

/** SQL text inserting a history row (and its cached digest), for a multi-statement query (one transaction). */
export function insertHistorySql(version: string, name: string, statements: readonly string[], cacheDigest: boolean): string {
  const array = statements.length === 0 ? "'{}'::text[]" : `ARRAY[${statements.map((s) => quoteLiteral(s)).join(",")}]::text[]`;
  const history = `INSERT INTO ${HISTORY_TABLE}(version, name, statements) VALUES(${quoteLiteral(version)}, ${quoteLiteral(name)}, ${array})`;
  if (!cacheDigest) return history;
  return `${history};
INSERT INTO ${DIGEST_TABLE}(version, digest) VALUES(${quoteLiteral(version)}, '${statementsDigest(statements)}')
  ON CONFLICT (version) DO UPDATE SET digest = EXCLUDED.digest`;
}

/** Marks a version applied (repair): the row the CLI would have written had it applied the file. */
export async function recordApplied(client: pg.Client, version: string, name: string, statements: readonly string[]): Promise<void> {
  await client.query(
    `INSERT INTO ${HISTORY_TABLE}(version, name, statements) VALUES($1, $2, $3)
     ON CONFLICT (version) DO UPDATE SET name = EXCLUDED.name, statements = EXCLUDED.statements`,
    [version, name, statements],
  );
}

/** Marks versions reverted (repair): their rows are deleted, as `supabase migration repair --status reverted`. */
export async function recordReverted(client: pg.Client, versions: readonly string[]): Promise<string[]> {
  const { rows } = await client.query<{ version: string }>(
    `DELETE FROM ${HISTORY_TABLE} WHERE version = ANY($1) RETURNING version`,
    [versions],
  );
  return rows.map((row) => row.version).sort();
}
