// export-prod through a real PgBouncer in transaction mode (Supabase's port 6543): PgBouncer refuses the
// read-only startup option, and each transaction may run on another server connection, yet the export
// runs and every statement it sends is read-only (pg client and Prisma alike).
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { withReadOnlySource } from "../../../src/prod-sync/source.ts";
import { PGBOUNCER_MISSING, startPgBouncer, type PgBouncer } from "../../support/pgbouncer.ts";
import { seedWorkflow } from "../../../src/samples/seed.ts";
import { database, dropDatabases, filesIn, migrationsDir, runExport } from "./helpers.ts";

afterEach(() => dropDatabases());

describe.skipIf(PGBOUNCER_MISSING)(`export-prod through PgBouncer, pool_mode=transaction${PGBOUNCER_MISSING ? ` (${PGBOUNCER_MISSING})` : ""}`, () => {
  let bouncer: PgBouncer;
  beforeAll(async () => {
    bouncer = await startPgBouncer(inject("pgAdminUrl"), "transaction");
  });
  afterAll(async () => {
    await bouncer?.stop();
  });

  it("exports", async () => {
    const prod = await database("n8n2");
    const wf = await seedWorkflow(prod, { name: "Pooled prod workflow" });
    const dir = await migrationsDir();
    const result = await runExport({ ...prod, url: bouncer.urlFor(prod.url) }, dir);
    expect(result.written).toBe(1);
    expect((await filesIn(dir)).map((f) => f.sql.includes(wf.id))).toEqual([true]);
  });

  it("every statement is read-only, on whichever server connection it runs (pg client and Prisma)", async () => {
    const prod = await database("n8n2");
    const wf = await seedWorkflow(prod, { name: "Keep me" });
    await withReadOnlySource(bouncer.urlFor(prod.url), prod.schema, async (source) => {
      for (let i = 0; i < 5; i++) {
        await expect(source.client.query(`UPDATE workflow_entity SET name = 'changed' WHERE id = $1`, [wf.id])).rejects.toThrow(/read-only transaction/);
        await expect(source.prisma.workflowEntity.updateMany({ where: { id: wf.id }, data: { name: "changed" } })).rejects.toThrow(/read-only transaction/);
      }
      await expect(source.prisma.$executeRawUnsafe(`DELETE FROM workflow_entity`)).rejects.toThrow(/read-only transaction/);
      // a transaction of the caller's own is read-only too
      await source.client.query("BEGIN");
      await expect(source.client.query(`CREATE TABLE written_by_export (x int)`)).rejects.toThrow(/read-only transaction/);
      await source.client.query("ROLLBACK");
    });
    expect(await prod.query(`SELECT name FROM workflow_entity WHERE id = $1`, [wf.id])).toEqual([{ name: "Keep me" }]);
  });
});
