// An n8n schema n8n-sync does not know (a column it reads is missing): export, export-prod and status
// name the column and the supported n8n versions, instead of an empty "error:" and Prisma's raw text.
import { describe, expect, it } from "vitest";
import { migrationsFolder, perTestDatabases, runScript } from "../migrations/helpers.ts";

const database = perTestDatabases();

describe("a column n8n-sync reads is missing", () => {
  it("export, export-prod and status stop up front and name it", async () => {
    const db = await database("n8n2");
    await db.query(`ALTER TABLE ${db.schema}.workflow_entity DROP COLUMN "versionId" CASCADE`);
    const folder = migrationsFolder();
    const env = { DATABASE_URL: db.url, MIGRATIONS_DIR: folder.migrationsDir, N8N_DB_SCHEMA: db.schema };
    for (const [script, args] of [["export", ["--all"]], ["export-prod", ["--days", "30"]], ["status", []]] as const) {
      const run = await runScript(script, args, env, folder.dir);
      expect(run.code, `${script}: ${run.stderr}`).toBe(1);
      expect(run.stderr, script).toContain(`error: n8n's tables in schema ${db.schema} lack column n8n-sync reads: workflow_entity."versionId". n8n-sync supports n8n 1.123 and 2.x`);
      expect(run.stderr, script).not.toMatch(/Invalid `prisma|^error: *$/m);
    }
  });
});
