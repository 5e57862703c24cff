// Connection scoping for the imperative shell: every connection and transaction opened here is
// released or rolled back by the helper that opened it, whatever the callback does.
import pg from "pg";
import { maskUrl, redactSecrets } from "./config.ts";

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
