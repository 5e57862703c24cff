// The production database, opened for reading only, even with an admin URL (it never asks for a
// read-write one): every statement of the pg client and of each connection of Prisma's pool runs in a
// READ ONLY transaction of its own (ReadOnlyClient), which holds through a transaction-mode pooler too;
// where the server accepts it, the session also starts with default_transaction_read_only=on (PgBouncer
// refuses that startup option: then the per-transaction guard alone holds). A least-privilege role
// (README, "Production export role") is the second guard: it cannot write at all, nor read credential
// data, pinData or staticData.
import type pg from "pg";
import { connect, ConnectionError, withDatabase, type Database } from "../db/db.ts";
import { withN8nPrisma, type N8nPrisma } from "../n8n/prisma.ts";
import { requireN8nSchema, type N8nSchema } from "../n8n/schema.ts";
import { UserError } from "../errors/errors.ts";
import { ReadOnlyClient } from "./read-only-client.ts";

const READ_ONLY_OPTION = "-c default_transaction_read_only=on";

/** The URL with the read-only startup option added to any `options` it already has. */
export function readOnlyUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const existing = url.searchParams.get("options");
  url.searchParams.set("options", existing ? `${existing} ${READ_ONLY_OPTION}` : READ_ONLY_OPTION);
  return url.toString();
}

export interface ReadOnlySource {
  prisma: N8nPrisma;
  /** a plain connection, read-only too */
  client: pg.Client;
  schema: N8nSchema;
}

/**
 * Runs fn on the database opened read-only (one pool: the plain connection and Prisma's), after checking
 * that statements do run read-only and that n8n's tables are there. The pool is closed afterwards,
 * whatever fn does.
 */
export async function withReadOnlySource<T>(databaseUrl: string, schemaName: string, fn: (source: ReadOnlySource) => Promise<T>): Promise<T> {
  const options = { applicationName: "n8n-sync export-prod", clientClass: ReadOnlyClient };
  const onSource = (db: Database) =>
    db.withClient(async (client) => {
      await assertReadOnly(client);
      const schema = await requireN8nSchema(client, schemaName);
      return await withN8nPrisma(db, schemaName, (prisma) => fn({ prisma, client, schema }));
    });
  let opened = false;
  const open = (db: Database) => {
    opened = true;
    return onSource(db);
  };
  try {
    return await withDatabase(readOnlyUrl(databaseUrl), open, options);
  } catch (error) {
    if (opened || !refusesStartupOption(error)) throw error;
    return await withDatabase(databaseUrl, onSource, options);
  }
}

/** PgBouncer, as shipped, refuses startup options it does not know ("unsupported startup parameter"). */
function refusesStartupOption(error: unknown): boolean {
  return error instanceof ConnectionError && /unsupported startup parameter/.test(error.message);
}

/** A read-only connection (the dev check's), and the URL it was opened with. */
export async function connectReadOnly(databaseUrl: string, applicationName: string): Promise<{ client: pg.Client; url: string }> {
  const url = readOnlyUrl(databaseUrl);
  try {
    return { client: await connect(url, { applicationName, clientClass: ReadOnlyClient }), url };
  } catch (error) {
    if (!refusesStartupOption(error)) throw error;
    return { client: await connect(databaseUrl, { applicationName, clientClass: ReadOnlyClient }), url: databaseUrl };
  }
}

/** The statements this client sends run read-only (a pooler may have dropped the session option). */
export async function assertReadOnly(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ transaction_read_only: string }>("SHOW transaction_read_only");
  if (rows[0]?.transaction_read_only !== "on") {
    throw new UserError(
      "the database did not accept the read-only session option: this connection could write, so nothing is read",
    );
  }
}
