// The production database, opened for reading only: every session (the pg client and each connection of
// Prisma's pool) starts with default_transaction_read_only=on, passed as a startup option in the URL,
// so every transaction export-prod runs is read-only, even with an admin URL (it never asks for a
// read-write one). A least-privilege role (README, "Production export role") is the second guard: it
// cannot write at all, nor read credential data, pinData or staticData.
import type pg from "pg";
import { withClient } from "../db.ts";
import { withN8nPrisma, type N8nPrisma } from "../n8n/prisma.ts";
import { inspectN8nSchema, notReadyMessage, type N8nSchema } from "../n8n/schema.ts";
import { ExitCode, UserError } from "../errors.ts";

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
 * Runs fn on the database opened read-only, after checking that the server took the option (a
 * transaction-mode pooler may drop startup options: then nothing is read) and that n8n's tables are
 * there. Both connections are closed afterwards, whatever fn does.
 */
export async function withReadOnlySource<T>(databaseUrl: string, schemaName: string, fn: (source: ReadOnlySource) => Promise<T>): Promise<T> {
  const url = readOnlyUrl(databaseUrl);
  return withClient(
    url,
    async (client) => {
      await assertReadOnly(client);
      const schema = await inspectN8nSchema(client, schemaName);
      if (!schema.ready) throw new UserError(notReadyMessage(schemaName), ExitCode.N8N_NOT_READY);
      return withN8nPrisma(url, schemaName, (prisma) => fn({ prisma, client, schema }));
    },
    { applicationName: "n8n-sync export-prod" },
  );
}

export async function assertReadOnly(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ default_transaction_read_only: string }>("SHOW default_transaction_read_only");
  if (rows[0]?.default_transaction_read_only !== "on") {
    throw new UserError(
      "the database did not accept the read-only session option (a transaction-mode pooler?): use a direct or session-mode connection for DATABASE_URL",
    );
  }
}
