// The first week's two false conflicts (issue 23, item 1), on the real n8n 2.41.1 fixtures: every
// prediction (status, migrate-up --dry-run, export-prod --dev-env) gives the real run's answer when
// several pending files touch one workflow, and a re-export before apply is not a conflict.
import { afterEach, describe, expect, it } from "vitest";
import { migrateUp } from "../../../src/migrate-up/migrate-up.ts";
import { editWorkflow, seedWorkflow } from "../../../src/samples/seed.ts";
import { exportProd } from "../../../src/prod-sync/export-prod.ts";
import { readStatus } from "../../../src/status/status.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { exportFrom, migrate, newFolder, steppingClock, type Folder } from "./helpers.ts";

const HOUR = 60 * 60 * 1000;
const databases: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.splice(0).map((db) => db.drop()));
});

async function n8n2(): Promise<TestDatabase> {
  const db = await createTestDatabase("n8n2");
  databases.push(db);
  return db;
}

const dryRun = (db: TestDatabase, folder: Folder) =>
  migrateUp({ databaseUrl: db.url, migrationsDir: folder.migrationsDir, settings: { schema: db.schema }, dryRun: true });

describe("several pending files of one workflow", () => {
  it("edit in dev, export, apply to prod, edit in prod, export-prod: dev predicts unchanged then updated, as the real run does", async () => {
    const [dev, prod] = await Promise.all([n8n2(), n8n2()]);
    const folder = newFolder();
    const clock = steppingClock(new Date(Date.now() - 10 * HOUR));
    const wf = await seedWorkflow(dev, { name: "Tell sales", updatedAt: new Date(Date.now() - 9 * HOUR) });
    await exportFrom(dev, folder, ["Tell sales"], clock);
    expect((await migrate(dev, folder)).status).toBe("ok");
    expect((await migrate(prod, folder)).status).toBe("ok");

    await editWorkflow(dev, wf.id, { at: new Date(Date.now() - 3 * HOUR) });
    const [devFile] = (await exportFrom(dev, folder, ["Tell sales"], clock)).written;
    expect((await migrate(prod, folder)).status).toBe("ok");
    await editWorkflow(prod, wf.id, { at: new Date(Date.now() - HOUR) });
    const exported = await exportProd({
      envName: "production",
      databaseUrl: prod.url,
      schema: prod.schema,
      migrationsDir: folder.migrationsDir,
      selection: { days: 7, names: ["Tell sales"], ids: [], includeArchived: false },
      dev: { envName: "development", databaseUrl: dev.url, schema: dev.schema },
    });
    expect(exported.written).toBe(1);
    // export-prod --dev-env: dev applies its own export first (unchanged), then prod's file fast-forwards.
    expect(exported.workflows[0]!.dev).toEqual({ state: "clean" });

    // status on dev: the newest file is ahead, no conflict (exit 0).
    const status = await readStatus({ databaseUrl: dev.url, schema: dev.schema, migrationsDir: folder.migrationsDir });
    expect(status.pending).toHaveLength(2);
    expect(status.workflows.map((w) => [w.agreement, w.detail])).toEqual([["file-ahead", expect.stringContaining("is pending: migrate-up updates it")]]);

    // migrate-up --dry-run on dev: the rehearsal's outcomes, file by file.
    const dry = await dryRun(dev, folder);
    expect(dry.pending.map((p) => [p.file, p.prediction?.outcome])).toEqual([
      [devFile!.file, "unchanged"],
      [expect.stringContaining("prod_sync"), "update"],
    ]);

    // The real run says the same.
    const real = await migrate(dev, folder);
    expect(real.status).toBe("ok");
    expect(real.applied.flatMap((f) => f.reports.map((r) => r.outcome))).toEqual(["unchanged", "updated"]);
    expect(dry.pending.map((p) => p.prediction?.reason)).toEqual(real.applied.flatMap((f) => f.reports.map((r) => r.reason)));
  });

  it("export twice before applying, then migrate-up on dev itself: already has a newer version, not a conflict", async () => {
    const dev = await n8n2();
    const folder = newFolder();
    const clock = steppingClock(new Date(Date.now() - 10 * HOUR));
    const wf = await seedWorkflow(dev, { name: "Only edited in dev", updatedAt: new Date(Date.now() - 9 * HOUR) });
    await editWorkflow(dev, wf.id, { at: new Date(Date.now() - 3 * HOUR) });
    await exportFrom(dev, folder, ["Only edited in dev"], clock);
    await editWorkflow(dev, wf.id, { at: new Date(Date.now() - 2 * HOUR) });
    await exportFrom(dev, folder, ["Only edited in dev"], clock);

    const dry = await dryRun(dev, folder);
    expect(dry.pending.map((p) => p.prediction?.outcome)).toEqual(["unchanged", "unchanged"]);
    expect(dry.pending[0]!.prediction?.reason).toBe("this database already has a newer version (the file's version is in its history)");

    const real = await migrate(dev, folder);
    expect(real.status).toBe("ok");
    expect(real.applied.flatMap((f) => f.reports.map((r) => [r.outcome, r.reason]))).toEqual([
      ["unchanged", "this database already has a newer version (the file's version is in its history)"],
      ["unchanged", "this database already has this version"],
    ]);
    const status = await readStatus({ databaseUrl: dev.url, schema: dev.schema, migrationsDir: folder.migrationsDir });
    expect(status.workflows.map((w) => w.agreement)).toEqual(["same"]);
  });
});
