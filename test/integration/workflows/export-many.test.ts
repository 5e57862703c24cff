// Export of many workflows, read and written a batch at a time (batches smaller than the selection):
// every workflow gets exactly one file, versions never collide with the folder's nor with each other,
// and each file's header carries its own workflow's id, version and file name.
import { databaseTarget } from "../../../src/config/config.ts";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/config.ts";
import { exportWorkflows } from "../../../src/workflows/export.ts";
import { parseHeader } from "../../../src/workflows/header.ts";
import { versionStamp } from "../../../src/workflows/naming.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { seedTag, seedWorkflow, type SeedWorkflow } from "../../../src/samples/seed.ts";

const COUNT = 120;

describe("export of many workflows in batches", () => {
  let source: TestDatabase;
  let seeded: SeedWorkflow[];
  beforeAll(async () => {
    source = await createTestDatabase("n8n2");
    seeded = [];
    for (const tag of ["t0", "t1", "t2"]) await seedTag(source, tag);
    for (let start = 0; start < COUNT; start += 20) {
      const chunk = Array.from({ length: Math.min(20, COUNT - start) }, (_, i) =>
        seedWorkflow(source, { name: `Many ${(start + i) % 7}`, tags: [`t${(start + i) % 3}`] }),
      );
      seeded.push(...(await Promise.all(chunk)));
    }
  });
  afterAll(() => source.drop());

  it(`writes ${COUNT} files in batches of 25, one per workflow, on versions free in the folder, each with its own header`, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-export-many-"));
    try {
      const now = new Date("2025-03-01T10:00:00.250Z");
      // the folder already holds the clock's second and one 50 s later
      const taken = [versionStamp(now), versionStamp(new Date(now.getTime() + 50_000))];
      for (const version of taken) writeFileSync(path.join(dir, `${version}_hand_written.sql`), "select 1;\n");
      const config = loadConfig({ env: "test", cwd: dir, processEnv: { DATABASE_URL: source.url, MIGRATIONS_DIR: dir } });

      const result = await exportWorkflows({ ...databaseTarget(config), all: true, batchSize: 25, clock: () => now });

      expect(result.skipped).toEqual([]);
      expect(result.written).toHaveLength(COUNT);
      const files = readdirSync(dir).filter((file) => !file.includes("hand_written")).sort();
      expect(files).toEqual(result.written.map((w) => w.file).sort());
      const versions = files.map((file) => file.slice(0, 14));
      expect(new Set([...versions, ...taken]).size).toBe(COUNT + taken.length);
      // consecutive seconds from the clock's, stepping over the two taken ones
      expect(versions[0]).toBe(versionStamp(new Date(now.getTime() + 1000)));
      expect(versions.at(-1)).toBe(versionStamp(new Date(now.getTime() + (COUNT + 1) * 1000)));

      const byId = new Map(seeded.map((w) => [w.id, w]));
      for (const file of files) {
        const { header } = parseHeader(readFileSync(path.join(dir, file), "utf8"))!;
        const workflow = byId.get(header.workflowId!);
        expect(workflow, file).toBeDefined();
        expect(header).toMatchObject({ migration: file, source: "dev", workflowName: workflow!.name, versionId: workflow!.versionId });
        expect(file).toMatch(/^\d{14}_many_\d\.sql$/);
        byId.delete(header.workflowId!);
      }
      expect(byId.size).toBe(0);

      const again = await exportWorkflows({ ...databaseTarget(config), all: true, batchSize: 25, clock: () => now });
      expect(again.written).toEqual([]);
      expect(again.skipped).toHaveLength(COUNT);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
