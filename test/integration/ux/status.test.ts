// n8n:status on real databases: applied / pending / drifted files, and per workflow whether the
// database and the newest migration file agree; exit 3 on a conflict.
import { appendFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStatus } from "../../../src/status/status.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { editWorkflow, seedWorkflow } from "../../../src/samples/seed.ts";
import { envFor, exportFrom, migrate, newFolder, runScript, steppingClock, type Folder } from "./helpers.ts";

describe("n8n:status", () => {
  let dev: TestDatabase;
  let prod: TestDatabase;
  let folder: Folder;
  const clock = steppingClock();
  const status = () => readStatus({ databaseUrl: prod.url, schema: prod.schema, migrationsDir: folder.migrationsDir });
  const agreementOf = async (id: string) => (await status()).workflows.find((w) => w.workflowId === id)?.agreement;

  beforeAll(async () => {
    [dev, prod] = await Promise.all([createTestDatabase("n8n2"), createTestDatabase("n8n2")]);
    folder = newFolder();
  });
  afterAll(async () => {
    await Promise.all([dev.drop(), prod.drop()]);
  });

  it("walks pending -> applied -> db ahead / file ahead / conflict / drifted / only in db", async () => {
    const a = await seedWorkflow(dev, { name: "status A", updatedAt: new Date("2025-01-01T00:00:00Z") });
    const b = await seedWorkflow(dev, { name: "status B", updatedAt: new Date("2025-01-01T00:00:00Z") });
    const c = await seedWorkflow(dev, { name: "status C", updatedAt: new Date("2025-01-01T00:00:00Z") });
    folder.write("20250101000000_app_table.sql", "create table app_things (id int);");
    await exportFrom(dev, folder, ["status A", "status B", "status C"], clock);

    let result = await status();
    expect(result.applied).toEqual([]);
    expect(result.pending).toHaveLength(4);
    expect(result.workflows.map((w) => w.agreement)).toEqual(["only-in-files", "only-in-files", "only-in-files"]);

    expect((await migrate(prod, folder)).status).toBe("ok");
    result = await status();
    expect(result.applied).toHaveLength(4);
    expect(result.pending).toEqual([]);
    expect(result.drifted).toEqual([]);
    expect(result.workflows.map((w) => w.agreement)).toEqual(["same", "same", "same"]);

    // A edited in prod since it was applied: the database is ahead of the files.
    await editWorkflow(prod, a.id);
    expect(await agreementOf(a.id)).toBe("db-ahead");

    // B edited in dev and exported: prod still holds what n8n-sync wrote, so the file fast-forwards it.
    await editWorkflow(dev, b.id);
    await exportFrom(dev, folder, ["status B"], clock);
    expect(await agreementOf(b.id)).toBe("file-ahead");

    // C edited on both sides: migrate-up would report a conflict.
    await editWorkflow(prod, c.id, { at: new Date("2025-02-01T00:00:00Z") });
    await editWorkflow(dev, c.id, { at: new Date("2025-03-01T00:00:00Z") });
    const [cFile] = (await exportFrom(dev, folder, ["status C"], clock)).written;
    result = await status();
    const conflict = result.workflows[0]!;
    expect(conflict).toMatchObject({ workflowId: c.id, agreement: "conflict", file: cFile!.file });
    expect(conflict.detail).toContain("the file's version is newer");

    // A workflow created in prod only, and an applied file edited afterwards.
    const d = await seedWorkflow(prod, { name: "status D" });
    appendFileSync(path.join(folder.migrationsDir, "20250101000000_app_table.sql"), "\ncreate table more_things (id int);");
    result = await status();
    expect(result.workflows.find((w) => w.workflowId === d.id)?.agreement).toBe("only-in-db");
    expect(result.drifted).toEqual(["20250101000000_app_table.sql"]);
    expect(result.pending).toHaveLength(2);

    const run = await runScript("status", ["--env", "production"], envFor(prod, folder), folder.dir);
    // a drifted file stops the next migrate-up: 1 wins over the conflict's 3
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n")[0]).toBe(`status: env production, database ${prod.printedUrl}`);
    expect(run.stderr).toMatch(/CONFLICT +status C \(.+\): .+ is pending and edited here since the last sync/);
    expect(run.stderr).toContain("drifted: 20250101000000_app_table.sql changed since it was applied");
    expect(run.stdout).toMatch(/db ahead +status A/);
    expect(run.stdout).toMatch(/file ahead +status B/);
    expect(run.stdout).toMatch(/only in db +status D/);
    expect(run.stdout.trim().split("\n").at(-1)).toBe(
      "4 applied, 2 pending, 1 drifted; workflows: 1 db ahead, 1 file ahead, 1 only in db, 1 conflict",
    );

    const json = await runScript("status", ["--json"], envFor(prod, folder), folder.dir);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.pending).toHaveLength(2);
    expect(parsed.workflows.find((w: { workflowId: string }) => w.workflowId === c.id).agreement).toBe("conflict");
  });

  it("prints one summary line when everything agrees, and says when n8n has no tables yet", async () => {
    const db = await createTestDatabase("empty");
    try {
      const empty = newFolder();
      writeFileSync(path.join(empty.migrationsDir, "20250101000000_x.sql"), "select 1;");
      const run = await runScript("status", [], envFor(db, empty), empty.dir);
      expect(run.code).toBe(0);
      expect(run.stdout.trim().split("\n")).toEqual([
        `status: env development, database ${db.printedUrl}`,
        "  pending   20250101000000_x.sql",
        "0 applied, 1 pending, 0 drifted; workflows not compared (n8n not ready)",
      ]);
      expect(run.stderr).toContain("workflows not compared: n8n tables not found in schema public");
    } finally {
      await db.drop();
    }
  });
});
