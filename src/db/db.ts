// Connection scoping for the imperative shell: every connection and transaction opened here is
// released or rolled back by the helper that opened it, whatever the callback does. A command that reads
// n8n's tables opens ONE pool for its run (withDatabase): its plain queries and Prisma (n8n/prisma.ts,
// through the pg adapter) draw connections from it. Lost connections are recognised here only.
import pg from "pg";
import { maskUrl, redactSecrets } from "../config/config.ts";

export type Client = pg.Client;

/** A database that cannot be reached or refuses us: one line, password masked, what to check. */
export class ConnectionError extends Error {
  override name = "ConnectionError";
}

export interface ConnectOptions {
  /** application_name shown in pg_stat_activity */
  applicationName?: string;
  /** give up connecting after this long (default: as the OS does) */
  timeoutMs?: number;
  /** a pg.Client subclass (e.g. one that makes every statement read-only) */
  clientClass?: typeof pg.Client;
}

export async function connect(databaseUrl: string, options: ConnectOptions = {}): Promise<pg.Client> {
  const client = new (options.clientClass ?? pg.Client)({
    connectionString: databaseUrl,
    application_name: options.applicationName ?? "n8n-sync",
    ...(options.timeoutMs !== undefined ? { connectionTimeoutMillis: options.timeoutMs } : {}),
  });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw connectionError(error, databaseUrl);
  }
  // An idle client whose server goes away emits 'error'; without a listener that crashes the process.
  client.on("error", () => {});
  return client;
}

function connectionError(error: unknown, databaseUrl: string): ConnectionError {
  const err = error as { code?: string; message?: string };
  const hints: Record<string, string> = {
    ECONNREFUSED: "is the database running and the port right?",
    ENOTFOUND: "check the host name",
    "28P01": "check the user name and password",
    "28000": "check the user name and pg_hba.conf",
    "3D000": "check the database name",
  };
  const hint = (err.code && hints[err.code]) ?? "check DATABASE_URL";
  const detail = redactSecrets(err.message ?? String(error), databaseUrl).split("\n")[0];
  return new ConnectionError(`cannot connect to ${maskUrl(databaseUrl)}: ${detail} (${hint})`);
}

/** One database for a command's run: one pool, for its own queries and for Prisma's. */
export interface Database {
  readonly url: string;
  readonly pool: pg.Pool;
  /** a connection of the pool for fn, released afterwards */
  withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T>;
}

/**
 * Opens the pool, checks that it connects (a wrong URL fails here with one masked line, before fn runs),
 * runs fn and ends the pool whatever fn does.
 */
export async function withDatabase<T>(databaseUrl: string, fn: (db: Database) => Promise<T>, options: ConnectOptions = {}): Promise<T> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    application_name: options.applicationName ?? "n8n-sync",
    ...(options.timeoutMs !== undefined ? { connectionTimeoutMillis: options.timeoutMs } : {}),
    ...(options.clientClass ? { Client: options.clientClass } : {}),
  });
  // An idle connection whose server goes away emits 'error' on the pool; without a listener that crashes the process.
  pool.on("error", () => {});
  const db: Database = {
    url: databaseUrl,
    pool,
    async withClient(use) {
      const client = await pool.connect();
      client.on("error", () => {});
      try {
        return await use(client);
      } finally {
        client.release();
      }
    },
  };
  try {
    try {
      (await pool.connect()).release();
    } catch (error) {
      throw connectionError(error, databaseUrl);
    }
    return await fn(db);
  } finally {
    await pool.end().catch(() => {});
  }
}

/**
 * The connection failed, not the SQL: the socket was cut (failover, idle killer, pooler restart), the
 * server shut down or terminated the session (FATAL, SQLSTATE 08xxx / 57P0x), or the client is no longer
 * queryable after one of those. The transaction open on it, if any, did not commit.
 */
export function isConnectionLoss(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof pg.DatabaseError) {
    return error.severity === "FATAL" || error.severity === "PANIC" || /^(08|57P0)/.test(error.code ?? "");
  }
  const code = (error as { code?: string }).code;
  // A file system error (it names a path: ENOENT, EEXIST, EACCES on a file) is a local problem.
  if ((error as { path?: unknown }).path !== undefined) return false;
  if (code !== undefined) return /^E[A-Z]+$/.test(code); // ECONNRESET, EPIPE, ETIMEDOUT, ...
  // node-postgres's own errors once the socket is gone
  return /^(Connection terminated|Client has encountered a connection error|Client was closed|Connection ended|Query read timeout)/.test(error.message);
}

interface DriverCause {
  kind?: string;
  code?: string;
  severity?: string;
  message?: string;
}

/** Prisma's driver adapter kinds for a connection that went away. */
const LOST_KINDS = new Set(["ConnectionClosed", "DatabaseNotReachable", "SocketTimeout"]);

/**
 * What cut the connection, when `error` is a lost connection, raw from pg or wrapped by Prisma's driver
 * adapter (error.meta.driverAdapterError.cause); undefined for any other error.
 */
export function connectionLoss(error: unknown): string | undefined {
  if (isConnectionLoss(error)) return connectionLossReason(error);
  const cause = (error as { meta?: { driverAdapterError?: { cause?: DriverCause } } } | undefined)?.meta?.driverAdapterError?.cause;
  if (!cause) return undefined;
  if (cause.kind && LOST_KINDS.has(cause.kind)) return cause.kind;
  const lost = cause.kind === "postgres" && (cause.severity === "FATAL" || /^(08|57P0)/.test(cause.code ?? ""));
  return lost ? `${cause.message} (${cause.code})` : undefined;
}

/** One line on what cut the connection, for the message that says what was being done. */
export function connectionLossReason(error: unknown): string {
  const err = error as { code?: string; message?: string };
  const message = (err.message ?? String(error)).split("\n")[0] ?? "";
  return err.code && !message.includes(err.code) ? `${message} (${err.code})` : message;
}

export async function withClient<T>(
  databaseUrl: string,
  fn: (client: pg.Client) => Promise<T>,
  options: ConnectOptions = {},
): Promise<T> {
  const client = await connect(databaseUrl, options);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export interface TransactionOptions {
  readOnly?: boolean;
}

export async function withTransaction<T>(
  client: pg.Client,
  fn: (client: pg.Client) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  await client.query(options.readOnly ? "BEGIN READ ONLY" : "BEGIN");
  try {
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}

/** Quotes an identifier for SQL text (schema and table names from config). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal for SQL text: E'' with quotes and backslashes escaped, right whatever standard_conforming_strings says. */
export function quoteLiteral(value: string): string {
  return `E'${value.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}
