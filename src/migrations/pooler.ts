// Whether migrate-up's connection goes straight to PostgreSQL or through something in between (PgBouncer,
// Supavisor, any proxy): the server then sees another client address or port than this socket's own.
// Transactions are safe either way (each file is one transaction, the lock is an open transaction), but a
// file that runs outside a transaction (CREATE INDEX CONCURRENTLY, ...) is sent statement by statement,
// and a transaction-mode pooler may run each on another server connection: session settings cannot
// follow it there, and would stay behind on a server connection other clients then get.
import type { Socket } from "node:net";
import type pg from "pg";

export async function throughIntermediary(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ addr: string | null; port: number | null }>(
    "SELECT host(inet_client_addr()) AS addr, inet_client_port() AS port",
  );
  const socket = (client as unknown as { connection?: { stream?: Socket } }).connection?.stream;
  const server = rows[0];
  // A Unix-socket session (no address) is direct; our own Unix socket to a pooler shows a TCP peer.
  if (!server?.port) return false;
  return server.port !== socket?.localPort || normalize(server.addr) !== normalize(socket?.localAddress ?? null);
}

function normalize(address: string | null): string | null {
  return address?.replace(/^::ffff:/, "") ?? null;
}

/** Pure: the warning for a file that runs outside a transaction through a pooler. */
export function autocommitThroughPoolerWarning(file: string): string {
  return (
    `${file} runs outside a transaction, and DATABASE_URL goes through a pooler or proxy (the server sees another client address): each of its statements may run on ` +
    "another server connection, so lock_timeout and statement_timeout are not set for it (nor does a SET in the file " +
    "carry over); for such files use the direct connection"
  );
}
