// Export: chosen workflows -> one file each, named from the injected clock, never colliding, never
// duplicating an exported version unless forced; bad input fails with one line and writes nothing.
// The files apply through the real migrate-up.
import { databaseTarget } from "../../../src/config/config.ts";
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ExitCode } from "../../../src/errors/errors.ts";
import { loadConfig, type Config } from "../../../src/config/config.ts";
import { migrateUp } from "../../../src/migrate-up/migrate-up.ts";
import { exportWorkflows } from "../../../src/workflows/export.ts";
import { parseHeader } from "../../../src/workflows/header.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { editWorkflow, seedWorkflow } from "../../../src/samples/seed.ts";
import { exportSql, targetWorkflow } from "./helpers.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const run = promisify(execFile);
const clock = (iso: string) => () => new Date(iso);

describe("export", () => {
  let source: TestDatabase;
  let dir: string;
  let config: Config;
  const files = () => readdirSync(config.migrationsDir).sort();
  beforeAll(async () => {
    source = await createTestDatabase("n8n2schema");
  });
  afterAll(() => source.drop());
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-export-"));
    config = loadConfig({ env: "test", cwd: dir, processEnv: { DATABASE_URL: source.url, N8N_DB_SCHEMA: "n8n" } });
    return () => rmSync(dir, { recursive: true, force: true });
  });

  it("writes one file per workflow, named from the clock and the name; again only with --force", async () => {
    const wf = await seedWorkflow(source, { name: "Agent: Webhook Handler (v2) é" });
    const first = await exportWorkflows({ ...databaseTarget(config), names: [wf.name], clock: clock("2025-10-03T12:00:00.456Z") });
    expect(first.written.map((f) => f.file)).toEqual(["20251003120000_agent_webhook_handler_v2_e.sql"]);
    const sql = readFileSync(first.written[0]!.path, "utf8");
    expect(parseHeader(sql)).toEqual({
      header: {
        migration: "20251003120000_agent_webhook_handler_v2_e.sql",
        source: "dev",
        workflowName: wf.name,
        lastUpdated: wf.updatedAt.toISOString(),
        workflowId: wf.id,
        versionId: wf.versionId,
        n8n: "2.x (schema n8n)",
        generatedBy: `n8n-sync ${JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version}`,
      },
      problems: [],
    });

    const again = await exportWorkflows({ ...databaseTarget(config), names: [wf.name], clock: clock("2025-10-03T12:00:00Z") });
    expect(again).toEqual({ written: [], skipped: [expect.objectContaining({ workflowId: wf.id, existingFile: first.written[0]!.file })] });
    expect(files()).toHaveLength(1);

    const forced = await exportWorkflows({ ...databaseTarget(config), names: [wf.name], force: true, clock: clock("2025-10-03T12:00:00Z") });
    expect(forced.written.map((f) => f.file)).toEqual(["20251003120001_agent_webhook_handler_v2_e.sql"]);
    // Same workflow, same SQL apart from the file name it records.
    const strip = (text: string) => text.replaceAll(/2025100312000\d_/g, "");
    expect(strip(readFileSync(forced.written[0]!.path, "utf8"))).toBe(strip(sql));

    await editWorkflow(source, wf.id);
    const changed = await exportWorkflows({ ...databaseTarget(config), ids: [wf.id], clock: clock("2025-10-03T12:00:00Z") });
    expect(changed.written.map((f) => f.file)).toEqual(["20251003120002_agent_webhook_handler_v2_e.sql"]);
    expect(files().filter((f) => f.startsWith("."))).toEqual([]);
  });

  it("exports several names and ids, or --all without archived workflows", async () => {
    const a = await seedWorkflow(source, { name: "Several A" });
    const b = await seedWorkflow(source, { name: "Several B" });
    const archived = await seedWorkflow(source, { name: "Several archived", isArchived: true });
    const some = await exportWorkflows({ ...databaseTarget(config), names: ["Several A"], ids: [b.id, archived.id], clock: clock("2025-01-01T00:00:00Z") });
    expect(some.written.map((f) => f.workflowId).sort()).toEqual([a.id, b.id, archived.id].sort());
    const versions = new Set(files().map((f) => f.slice(0, 14)));
    expect(versions.size).toBe(3);

    rmSync(config.migrationsDir, { recursive: true });
    const all = await exportWorkflows({ ...databaseTarget(config), all: true, clock: clock("2025-01-01T00:00:00Z") });
    const ids = all.written.map((f) => f.workflowId);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(ids).not.toContain(archived.id);
  });

  it("fails on an unknown name with close matches and writes nothing", async () => {
    await seedWorkflow(source, { name: "Invoice Reminder" });
    const attempt = exportWorkflows({ ...databaseTarget(config), names: ["Invoice Reminder", "invoice remindr", "Nothing like it"], clock: clock("2025-01-01T00:00:00Z") });
    await expect(attempt).rejects.toMatchObject({
      exitCode: ExitCode.FAILURE,
      message: 'no workflow named "invoice remindr" (did you mean "Invoice Reminder"?); no workflow named "Nothing like it"; nothing written',
    });
    expect(() => files()).toThrow(/ENOENT/);
  });

  it("refuses a name that several workflows share, and a database n8n has not started on", async () => {
    const one = await seedWorkflow(source, { name: "Twin" });
    const two = await seedWorkflow(source, { name: "Twin" });
    await expect(exportWorkflows({ ...databaseTarget(config), names: ["Twin"], clock: clock("2025-01-01T00:00:00Z") })).rejects.toThrow(
      new RegExp(`"Twin" names 2 workflows \\(ids (${one.id}, ${two.id}|${two.id}, ${one.id})\\): use --id`),
    );
    const empty = await createTestDatabase("empty");
    try {
      const notReady = loadConfig({ env: "test", cwd: dir, processEnv: { DATABASE_URL: empty.url } });
      await expect(exportWorkflows({ ...databaseTarget(notReady), all: true, clock: clock("2025-01-01T00:00:00Z") })).rejects.toMatchObject({
        exitCode: ExitCode.N8N_NOT_READY,
      });
    } finally {
      await empty.drop();
    }
  });

  it("runs as a command: npm run n8n:create-migration", async () => {
    const wf = await seedWorkflow(source, { name: "Command line" });
    writeFileSync(path.join(dir, ".env.development"), `DATABASE_URL=${source.url}\nN8N_DB_SCHEMA=n8n\n`);
    const tsx = path.join(ROOT, "node_modules/.bin/tsx");
    const script = path.join(ROOT, "scripts/export.ts");
    const ok = await run(tsx, [script, "--env", "development", "--json", "Command line"], { cwd: dir });
    const result = JSON.parse(ok.stdout);
    expect(result.written).toEqual([expect.objectContaining({ workflowId: wf.id, name: "Command line" })]);

    const failed = await run(tsx, [script, "--env", "development", "Comand line"], { cwd: dir }).catch((error) => error);
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim().split("\n")).toEqual([expect.stringMatching(/no workflow named "Comand line" \(did you mean "Command line"\?\)/)]);
    expect(files()).toHaveLength(1);
  });

  it("applies through migrate-up into another database", async () => {
    const target = await createTestDatabase("n8n2");
    try {
      const wf = await seedWorkflow(source, { name: "Through migrate-up" });
      await exportWorkflows({ ...databaseTarget(config), ids: [wf.id], clock: clock("2025-01-01T00:00:00Z") });
      const result = await migrateUp({ databaseUrl: target.url, migrationsDir: config.migrationsDir, settings: { schema: "public" }, lockWaitMs: 5_000 });
      expect(result.status).toBe("ok");
      expect(result.applied.flatMap((a) => a.reports.map((r) => r.outcome))).toEqual(["inserted"]);
      expect((await targetWorkflow(target, wf.id))!.nodes).toEqual(wf.nodes);
      // determinism: exporting the same version again renders the same SQL
      expect(await exportSql(source, wf.id, { migration: "x.sql" })).toBe(await exportSql(source, wf.id, { migration: "x.sql" }));
    } finally {
      await target.drop();
    }
  });
});
