// The Prisma client over n8n's tables, bound to the configured schema through the pg adapter, on the
// run's one pool (db.ts withDatabase). Imported only by the paths that read workflows: migrate-up never
// loads Prisma (start-up time).
import { PrismaPg } from "@prisma/adapter-pg";
import { withDatabase, type Database } from "../db/db.ts";
import { PrismaClient } from "../generated/prisma/client.ts";

export type N8nPrisma = PrismaClient;

/**
 * Runs fn with a Prisma client on the database's pool, disconnected afterwards (the pool stays the
 * caller's); given a URL, on a pool of its own for fn.
 */
export async function withN8nPrisma<T>(db: Database | string, schema: string, fn: (prisma: PrismaClient) => Promise<T>): Promise<T> {
  if (typeof db === "string") return withDatabase(db, (opened) => withN8nPrisma(opened, schema, fn));
  const prisma = new PrismaClient({ adapter: new PrismaPg(db.pool, { schema }) });
  try {
    return await fn(prisma);
  } finally {
    await prisma.$disconnect();
  }
}
