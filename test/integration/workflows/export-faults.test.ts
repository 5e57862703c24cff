// Export and export-prod meeting faults: killed (kill -9) mid-run they leave only whole files (and no
// temp file survives the next run), and the rerun completes the set; a connection lost mid-run is one
// line naming what was not written, and the rerun completes the set.
import { databaseTarget } from "../../../src/config/config.ts";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/config.ts";
import { exportWorkflows } from "../../../src/workflows/export.ts";
import { parseHeader } from "../../../src/workflows/header.ts";
import { readMigrationWorkflow } from "../../../src/workflows/read-migration.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { sampleNodes, seedWorkflow, type SeedWorkflow } from "../../../src/samples/seed.ts";
import { runExport } from "../prod-sync/helpers.ts";
import { runScript, startScript } from "../migrations/helpers.ts";

const COUNT = 60;

/** Every .sql file in the folder parses as a whole workflow migration; returns workflow id per file. */
function wholeFiles(dir: string): Map<string, string> {
  const ids = new Map<string, string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".sql"))) {
    const sql = readFileSync(path.join(dir, file), "utf8");
    expect(readMigrationWorkflow(sql), `${file} is not whole`).toBeDefined();
    ids.set(file, parseHeader(sql)?.header.workflowId ?? "");
  }
  return ids;
}

/** A pid no process has (a child that already exited). */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", "0"]).pid!;
}

describe("export faults", () => {
  let source: TestDatabase;
  let seeded: SeedWorkflow[];
  beforeAll(async () => {
    source = await createTestDatabase("n8n2");
    seeded = [];
    // Big workflows, so that writing the set takes a while and a kill lands in the middle of it.
    const nodes = Array.from({ length: 40 }, (_, i) => sampleNodes(`node ${i} ${"x".repeat(2000)}`)).flat();
    for (let start = 0; start < COUNT; start += 20) {
      seeded.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => seedWorkflow(source, { name: `Big ${start + i}`, nodes })))));
    }
  });
  afterAll(() => source.drop());

  it.each([
    ["export", ["--all"]],
    ["export-prod", ["--days", "36500"]],
  ])("%s killed (kill -9) mid-write: only whole files are left; the rerun completes the set and removes stray temp files", async (script, args) => {
    const dirs: string[] = [];
    const folder = () => {
      dirs.push(mkdtempSync(path.join(os.tmpdir(), "n8n-sync-export-kill-")));
      return dirs.at(-1)!;
    };
    const env = (dir: string) => ({ DATABASE_URL: source.url, MIGRATIONS_DIR: dir, N8N_DB_SCHEMA: source.schema });
    try {
      const started = Date.now();
      const full = await runScript(script, args, env(folder()), dirs[0]!);
      expect(full.code, full.stderr).toBe(0);
      const fullMs = Date.now() - started;
      const left: number[] = [];
      for (let round = 0; round < 4; round++) {
        const dir = folder();
        const stale = `.20250101000000_from_a_killed_export.sql.${deadPid()}.tmp`;
        writeFileSync(path.join(dir, stale), "-- half a file");
        const run = startScript(script, args, env(dir), dir);
        // Mid-write: once the first file of the first batch is in place (the second batch is still to be read).
        const deadline = Date.now() + fullMs * 3 + 10_000;
        while (!readdirSync(dir).some((f) => f.endsWith(".sql")) && run.child.exitCode === null && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 15));
        run.child.kill("SIGKILL");
        await run.done;
        left.push(wholeFiles(dir).size);
        const rerun = await runScript(script, args, env(dir), dir);
        expect(rerun.code, rerun.stderr).toBe(0);
        expect([...wholeFiles(dir).values()].sort()).toEqual(seeded.map((w) => w.id).sort());
        expect(readdirSync(dir).filter((f) => !f.endsWith(".sql"))).toEqual([]);
      }
      // the kills landed mid-run (some files written, not all)
      expect(left.filter((n) => n > 0 && n < COUNT).length, `files left by the kills: ${left.join(", ")}`).toBeGreaterThanOrEqual(3);
    } finally {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });

  it("export-prod removes temp files left by killed writers, and keeps a running writer's", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-export-prod-temp-"));
    try {
      const stale = `.20250101000000_prod_sync_x.sql.${deadPid()}.tmp`;
      const live = `.20250101000001_prod_sync_y.sql.${process.pid}.tmp`;
      for (const file of [stale, live]) writeFileSync(path.join(dir, file), "-- half a file");
      await runExport(source, dir, { selection: { ids: [seeded[0]!.id], days: 7 } });
      expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([live]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe.each([
    ["export", (dir: string) => exportWorkflows({ ...databaseTarget(loadConfig({ env: "test", cwd: dir, processEnv: { DATABASE_URL: source.url, MIGRATIONS_DIR: dir } })), all: true, batchSize: 10, clock: () => new Date() })],
    ["export-prod", (dir: string) => runExport(source, dir, { selection: { days: 36500 } })],
  ] as const)("%s with its connection cut mid-run", (_name, exportAll) => {
    it("says in one line that nothing was written for the next workflow; the rerun completes the set", async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-export-cut-"));
      // Reading a batch's tags waits on this lock: the test cuts the connection of that read.
      const blocker = new pg.Client({ connectionString: source.url });
      await blocker.connect();
      try {
        await blocker.query("begin; lock table workflows_tags in access exclusive mode");
        const running = exportAll(dir).then(() => undefined, (error: Error) => error);
        const waiting = "select pid from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database() and pid <> pg_backend_pid()";
        for (let i = 0; i < 400 && (await blocker.query(waiting)).rows.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
        await new pg.Client({ connectionString: source.url }).connect().then(async (admin) => {
          await admin.query(`select pg_terminate_backend(pid) from (${waiting}) w`);
          await admin.end();
        });
        const error = await running;
        expect(error?.message).toMatch(
          /^the database connection was lost during the export \(.+\): 0 file\(s\) written whole, nothing was written for workflow \S+ \("Big \d+"\) and \d+ more; rerun \(it skips what was written\)$/,
        );
        expect(readdirSync(dir)).toEqual([]);
        await blocker.query("rollback");
        await exportAll(dir);
        expect([...wholeFiles(dir).values()].sort()).toEqual(seeded.map((w) => w.id).sort());
      } finally {
        await blocker.end();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
