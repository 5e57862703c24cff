// vitest globalSetup: one real PostgreSQL for the run, one template database per n8n fixture, so each
// test file gets its own database by a fast CREATE DATABASE ... TEMPLATE.
import pg from "pg";
import type { TestProject } from "vitest/node";
import { FIXTURES, fixtureSql, type FixtureName } from "../../src/samples/sample-databases.ts";
import { startTestServer, type ServerKind } from "./server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    /** which server the run uses (test/support/server.ts) */
    serverKind: ServerKind;
    /** prefix of every database this run creates (several runs may share a server) */
    dbPrefix: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startTestServer();
  const dbPrefix = `n8nsync_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  try {
    for (const name of Object.keys(FIXTURES) as FixtureName[]) {
      const template = `${dbPrefix}_tpl_${name}`;
      await admin.query(`CREATE DATABASE "${template}"`);
      const sql = fixtureSql(name);
      if (sql) {
        const url = new URL(server.adminUrl);
        url.pathname = `/${template}`;
        const loader = new pg.Client({ connectionString: url.toString() });
        await loader.connect();
        try {
          await loader.query(sql);
        } finally {
          await loader.end();
        }
      }
    }
  } finally {
    await admin.end();
  }
  project.provide("pgAdminUrl", server.adminUrl);
  project.provide("serverKind", server.kind);
  project.provide("dbPrefix", dbPrefix);

  return async () => {
    const cleaner = new pg.Client({ connectionString: server.adminUrl });
    await cleaner.connect();
    try {
      const { rows } = await cleaner.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE $1",
        [`${dbPrefix}%`],
      );
      for (const { datname } of rows) await cleaner.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await cleaner.end();
    }
    await server.stop();
  };
}
