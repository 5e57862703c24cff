// Files already merged in teams' repositories were written by released templates: each sample in
// test/fixtures/templates/ (one per release) still applies through today's migrate-up, and a file of
// today's template applied after it fast-forwards the same workflow (its bookkeeping rows are read as
// written by the old one).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { migrateUp } from "../../../src/migrate-up/migrate-up.ts";
import { editWorkflow } from "../../../src/samples/seed.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { exportSql } from "../workflows/helpers.ts";
import { migrationsFolder } from "./helpers.ts";

const TEMPLATES = path.resolve(import.meta.dirname, "../../fixtures/templates");
const samples = readdirSync(TEMPLATES).filter((file) => file.endsWith(".sql"));

describe.each(["n8n2", "n8n1"] as const)("released templates on %s", (fixture) => {
  const databases: TestDatabase[] = [];
  afterAll(() => Promise.all(databases.map((db) => db.drop())));

  it.each(samples)("%s applies today, and today's file of the same workflow follows it", async (sample) => {
    const [source, target] = await Promise.all([createTestDatabase(fixture), createTestDatabase(fixture)]);
    databases.push(source, target);
    const released = readFileSync(path.join(TEMPLATES, sample), "utf8");
    const file = /^-- Migration: (\S+)$/m.exec(released)![1]!;
    const id = /^-- Workflow ID: (\S+)$/m.exec(released)![1]!;
    const folder = migrationsFolder({ [file]: released });
    const run = (db: TestDatabase) => migrateUp({ databaseUrl: db.url, migrationsDir: folder.migrationsDir, settings: { schema: db.schema } });

    for (const db of [source, target]) {
      const first = await run(db);
      expect(first.status, first.message ?? first.failure?.message).toBe("ok");
      expect(first.applied.flatMap((f) => f.reports).map((r) => [r.workflowId, r.outcome])).toEqual([[id, "inserted"]]);
    }
    await editWorkflow(source, id);
    folder.write("20991231000000_today.sql", await exportSql(source, id, { migration: "20991231000000_today.sql" }));
    const second = await run(target);
    expect(second.status, second.message ?? second.failure?.message).toBe("ok");
    expect(second.applied.flatMap((f) => f.reports).map((r) => [r.outcome, r.reason])).toEqual([["updated", "this database still has the version n8n-sync last wrote here"]]);
    const [row] = await target.query<{ versionId: string }>(`SELECT "versionId" FROM "${target.schema}".workflow_entity WHERE id = $1`, [id]);
    const [edited] = await source.query<{ versionId: string }>(`SELECT "versionId" FROM "${source.schema}".workflow_entity WHERE id = $1`, [id]);
    expect(row!.versionId).toBe(edited!.versionId);
  });
});
