// A rollback's review shows what it does to the environment it was written against (issue 23, item 11),
// on the real n8n 2.41.1 fixture: the file records that environment and the version it replaces there,
// and n8n:diff compares with the migration that holds that version, not with the newest earlier file.
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compareMigrations } from "../../../src/diff/compare.ts";
import { renderDiffMarkdown } from "../../../src/diff/render-markdown.ts";
import { editWorkflow, sampleNodes, seedWorkflow } from "../../../src/samples/seed.ts";
import { rollbackWorkflow } from "../../../src/rollback/rollback.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { exportFrom, migrate, newFolder, steppingClock, type Folder } from "./helpers.ts";

const HOUR = 60 * 60 * 1000;
const databases: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.splice(0).map((db) => db.drop()));
});

function rollback(prod: TestDatabase, folder: Folder, clock: () => Date) {
  return rollbackWorkflow({ databaseUrl: prod.url, schema: prod.schema, migrationsDir: folder.migrationsDir, workflow: "Orders", to: "previous", environment: { name: "production", values: [] }, clock });
}

describe("n8n:diff of a rollback file", () => {
  it("compares with the version its environment had (a newer file not yet applied there is not what it replaces)", async () => {
    const [dev, prod] = await Promise.all([createTestDatabase("n8n2"), createTestDatabase("n8n2")]);
    databases.push(dev, prod);
    const folder = newFolder();
    const clock = steppingClock(new Date(Date.now() - 10 * HOUR));
    const wf = await seedWorkflow(dev, { name: "Orders", updatedAt: new Date(Date.now() - 9 * HOUR), nodes: sampleNodes("v1") });
    await exportFrom(dev, folder, ["Orders"], clock);
    await editWorkflow(dev, wf.id, { nodes: sampleNodes("v2"), at: new Date(Date.now() - 8 * HOUR) });
    const [v2File] = (await exportFrom(dev, folder, ["Orders"], clock)).written;
    expect((await migrate(prod, folder)).status).toBe("ok");
    // v3 is merged but production has not run migrate-up since.
    await editWorkflow(dev, wf.id, { nodes: sampleNodes("v3"), at: new Date(Date.now() - 7 * HOUR) });
    const [v3File] = (await exportFrom(dev, folder, ["Orders"], clock)).written;

    const rolled = await rollback(prod, folder, clock);
    const { reports } = await compareMigrations({ migrationsDir: folder.migrationsDir, targets: [rolled.path], cwd: folder.dir });
    expect(reports[0]!.against).toEqual({ file: v2File!.file, rollsBackIn: "production" });
    expect(reports[0]!.against).not.toEqual({ file: v3File!.file });
    expect(reports[0]!.note).toBeUndefined();
    expect(renderDiffMarkdown(reports, { scope: "given" })).toContain(
      `compared with \`${v2File!.file}\`, the version \`production\` had when this rollback was written: what the rollback does there.`,
    );
  });

  it("a version no file holds (edited in that environment): says how to see the effect there", async () => {
    const prod = await createTestDatabase("n8n2");
    databases.push(prod);
    const folder = newFolder();
    const clock = steppingClock(new Date(Date.now() - 10 * HOUR));
    const wf = await seedWorkflow(prod, { name: "Orders", updatedAt: new Date(Date.now() - 9 * HOUR), nodes: sampleNodes("v1") });
    await exportFrom(prod, folder, ["Orders"], clock);
    const edited = await editWorkflow(prod, wf.id, { nodes: sampleNodes("edited in prod"), at: new Date(Date.now() - 8 * HOUR) });

    const rolled = await rollback(prod, folder, clock);
    const file = path.relative(folder.dir, rolled.path);
    const { reports } = await compareMigrations({ migrationsDir: folder.migrationsDir, targets: [rolled.path], cwd: folder.dir });
    expect(reports[0]!.note).toBe(
      `production had version ${edited.versionId} when this rollback was written, which no migration file holds (edited there): npm run n8n:diff -- ${file} --env production shows what the rollback does there.`,
    );
  });
});
