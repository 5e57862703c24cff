// The Prisma client over n8n's tables, bound to the configured schema through the pg adapter. Imported
// only by the export paths: migrate-up never loads Prisma (start-up time).
import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { connectionLossReason, isConnectionLoss } from "../db.ts";
import { PrismaClient } from "../generated/prisma/client.ts";

export type N8nPrisma = PrismaClient;

/** `clientClass`: the pool's connection class (export-prod's read-only one). */
export function createN8nPrisma(databaseUrl: string, schema: string, clientClass?: typeof pg.Client): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, application_name: "n8n-sync", ...(clientClass ? { Client: clientClass } : {}) }, { schema });
  return new PrismaClient({ adapter });
}

/** Runs fn with a client that is always disconnected afterwards. */
export async function withN8nPrisma<T>(
  databaseUrl: string,
  schema: string,
  fn: (prisma: PrismaClient) => Promise<T>,
  clientClass?: typeof pg.Client,
): Promise<T> {
  const prisma = createN8nPrisma(databaseUrl, schema, clientClass);
  try {
    return await fn(prisma);
  } finally {
    await prisma.$disconnect();
  }
}

interface DriverCause {
  kind?: string;
  code?: string;
  severity?: string;
  message?: string;
}

/** Prisma's adapter kinds for a connection that went away. */
const LOST_KINDS = new Set(["ConnectionClosed", "DatabaseNotReachable", "SocketTimeout"]);

/**
 * What cut the connection, when `error` is a lost connection (raw from pg, or wrapped by Prisma's
 * driver adapter); undefined for any other error.
 */
export function connectionLoss(error: unknown): string | undefined {
  if (isConnectionLoss(error)) return connectionLossReason(error);
  const cause = (error as { meta?: { driverAdapterError?: { cause?: DriverCause } } } | undefined)?.meta?.driverAdapterError?.cause;
  if (!cause) return undefined;
  if (cause.kind && LOST_KINDS.has(cause.kind)) return cause.kind;
  const lost = cause.kind === "postgres" && (cause.severity === "FATAL" || /^(08|57P0)/.test(cause.code ?? ""));
  return lost ? `${cause.message} (${cause.code})` : undefined;
}
