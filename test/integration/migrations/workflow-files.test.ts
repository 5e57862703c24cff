// migrate-up with real workflow migrations (rendered by the exporter from a seeded n8n 2.x database):
// dry-run predictions, reports of the real run, the summary line, and the Supabase CLI applying the same
// rendered files with the same history rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateUp, type MigrateUpOptions } from "../../../src/migrate-up/migrate-up.ts";
import { pendingLines, summaryLine } from "../../../src/cli/migrate-up-lines.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { seedWorkflow } from "../../../src/samples/seed.ts";
import { createSupabaseProject } from "../../support/supabase-cli.ts";
import { exportSql } from "../workflows/helpers.ts";
import { historyRows, migrationsFolder } from "./helpers.ts";

describe("workflow migrations through migrate-up", () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let twin: TestDatabase;
  beforeAll(async () => {
    [source, target, twin] = await Promise.all([createTestDatabase("n8n2"), createTestDatabase("n8n2"), createTestDatabase("n8n2")]);
  });
  afterAll(async () => {
    await Promise.all([source.drop(), target.drop(), twin.drop()]);
  });

  it("predicts in a dry run, applies with reports, and matches the Supabase CLI's history rows", async () => {
    const first = await seedWorkflow(source, { name: "Agent webhook" });
    const second = await seedWorkflow(source, { name: "Image processor" });
    const files = {
      "20250301000000_agent_webhook.sql": await exportSql(source, first.id, { migration: "20250301000000_agent_webhook.sql" }),
      "20250302000000_image_processor.sql": await exportSql(source, second.id, { migration: "20250302000000_image_processor.sql" }),
    };
    const folder = migrationsFolder(files);
    const run = (options: Partial<MigrateUpOptions> = {}) =>
      migrateUp({ databaseUrl: target.url, migrationsDir: folder.migrationsDir, settings: { schema: target.schema }, ...options });

    const dry = await run({ dryRun: true });
    expect(dry.pending.map((p) => [p.file, p.workflow, p.prediction?.outcome, p.prediction?.workflowId])).toEqual([
      ["20250301000000_agent_webhook.sql", true, "insert", first.id],
      ["20250302000000_image_processor.sql", true, "insert", second.id],
    ]);
    expect(pendingLines(dry.pending[0]!)[1]).toContain(`would insert Agent webhook (${first.id})`);
    expect(await target.query(`select id from "${target.schema}".workflow_entity where id = any($1)`, [[first.id, second.id]])).toEqual([]);

    const real = await run();
    expect(real.status).toBe("ok");
    expect(real.applied.flatMap((f) => f.reports.map((r) => [r.workflowId, r.outcome]))).toEqual([
      [first.id, "inserted"],
      [second.id, "inserted"],
    ]);
    expect(summaryLine(real)).toMatch(/^applied 2 migrations \(2 workflows: 2 inserted\) in \d+\.\ds$/);

    const again = await run({ dryRun: true });
    expect(again.pending).toEqual([]);

    const project = createSupabaseProject(files);
    try {
      const cli = await project.migrationUp(twin.url);
      expect(cli.code, cli.stderr).toBe(0);
      expect(await historyRows(twin)).toEqual(await historyRows(target));
    } finally {
      project.remove();
    }
  });
});
