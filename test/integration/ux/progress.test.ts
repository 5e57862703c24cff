// What a person watching a long run sees: on a terminal (a real pseudo-terminal from util-linux `script`)
// one progress bar, the lines that need attention (conflicts, unresolved credentials) as they happen and
// a summary; per-file lines only with --verbose. Without a terminal the plain lines stay.
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { credentialNode, seedWorkflow } from "../../../src/samples/seed.ts";
import { migrateUpScript, type ScriptRun } from "../migrations/helpers.ts";
import { makeWorkflow, renderCase } from "../workflows/helpers.ts";
import { migrationsFolder, runScript, type Folder } from "./helpers.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

/** `tsx scripts/<script>.ts args` with stdout and stderr on one pseudo-terminal: what a person at a terminal sees. */
function runOnTerminal(script: string, args: readonly string[], env: Record<string, string>, cwd: string): Promise<ScriptRun> {
  const quote = (word: string) => `'${word.replace(/'/g, "'\\''")}'`;
  const command = [TSX, path.join(ROOT, "scripts", `${script}.ts`), ...args].map(quote).join(" ");
  return new Promise((resolve) => {
    execFile(
      "script",
      ["-qec", command, "/dev/null"],
      { cwd, timeout: 60_000, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1", ...env } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

const BAR = /applying [█░]+ 5\/5/;

describe("migrate-up progress", () => {
  let db: TestDatabase;
  let folder: Folder;
  const plain = ["Orders sync", "Invoices sync"].map((name, i) => makeWorkflow({ id: `wfProgress0000${i}`, name, versionId: `00000000-0000-4000-8000-00000000000${i}` }));
  const needsCredential = makeWorkflow({
    id: "wfProgressCred01",
    name: "Needs a credential",
    versionId: "00000000-0000-4000-8000-0000000000c1",
    nodes: [credentialNode("Call API", { id: "credNotHere00001", name: "Partner API" })],
    credentials: [{ nodeIndex: 0, node: "Call API", type: "httpHeaderAuth", id: "credNotHere00001", name: "Partner API" }],
  });
  const edited = makeWorkflow({ id: "wfProgressEdit01", name: "Edited here", versionId: "00000000-0000-4000-8000-0000000000e1" });

  const freshRun = async () => {
    db = await createTestDatabase("n8n2");
    // Edited in this database and never synced: applying the file is a conflict.
    await seedWorkflow(db, { id: edited.id, name: edited.name, updatedAt: new Date("2026-01-01T00:00:00Z") });
    return { DATABASE_URL: db.url, MIGRATIONS_DIR: folder.migrationsDir, N8N_DB_SCHEMA: db.schema };
  };

  beforeAll(() => {
    const files: Record<string, string> = { "20250101000000_table.sql": "create table progress_marker (x int);" };
    [...plain, needsCredential, edited].forEach((workflow, i) => {
      const file = `2025010200000${i}_wf${i}.sql`;
      files[file] = renderCase(workflow, file);
    });
    folder = migrationsFolder(files);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("on a terminal: one bar, the conflict and the unresolved credential as they happen, a summary; no per-file lines", async () => {
    const env = await freshRun();
    const run = await runOnTerminal("migrate-up", [], env, folder.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(BAR);
    expect(run.stdout).toMatch(/CONFLICT skipped-conflict +Edited here \(wfProgressEdit01\)/);
    expect(run.stdout).toContain(`"Needs a credential" (wfProgressCred01): missing credential "Partner API" (httpHeaderAuth) of node "Call API"`);
    expect(run.stdout).toMatch(/applied 5 migrations \(4 workflows: 3 inserted, 1 skipped-conflict\) in \d+\.\ds/);
    expect(run.stdout).not.toMatch(/inserted +Orders sync/);
    await db.drop();
  });

  it("on a terminal with --verbose: the per-file lines too", async () => {
    const env = await freshRun();
    const run = await runOnTerminal("migrate-up", ["--verbose"], env, folder.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(BAR);
    expect(run.stdout).toMatch(/inserted +Orders sync \(wfProgress00000\): new to this database/);
    expect(run.stdout).toMatch(/inserted +Invoices sync \(wfProgress00001\)/);
    await db.drop();
  });

  it("without a terminal: plain lines, no bar", async () => {
    await freshRun();
    const run = await migrateUpScript(db, folder);
    expect(run.code).toBe(0);
    expect(run.stdout + run.stderr).not.toContain("applying ");
    expect(run.stdout).toMatch(/^ {2}inserted +Orders sync \(wfProgress00000\)/m);
    expect(run.stdout).toMatch(/^CONFLICT skipped-conflict +Edited here/m);
    expect(run.stderr).toContain(`warning: "Needs a credential" (wfProgressCred01): missing credential "Partner API" (httpHeaderAuth) of node "Call API"`);
    expect(run.stdout.trim().split("\n").at(-1)).toMatch(/^applied 5 migrations/);
  });
});

describe("export --all progress", () => {
  let source: TestDatabase;
  beforeAll(async () => {
    source = await createTestDatabase("n8n2");
    for (const [i, name] of ["Alpha", "Beta", "Gamma"].entries()) await seedWorkflow(source, { name, updatedAt: new Date(Date.UTC(2025, 0, i + 1)) });
  });
  afterAll(async () => {
    await source.drop();
  });
  const exportAll = (run: typeof runScript) => {
    const target = migrationsFolder();
    return run("export", ["--all"], { DATABASE_URL: source.url, MIGRATIONS_DIR: target.migrationsDir, N8N_DB_SCHEMA: source.schema }, target.dir);
  };

  it("on a terminal: one bar while it runs, then the files it wrote and a summary", async () => {
    const run = await exportAll(runOnTerminal);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/exporting [█░]+ 3\/3/);
    // listed once the bar is gone (a person sees which files to commit), then the summary line
    expect(run.stdout).toMatch(/wrote \S+\.sql \("Alpha"\)[\s\S]*wrote \S+\.sql \("Gamma"\)[\s\S]*wrote 3 file\(s\) to \S+, 0 unchanged, in \d+\.\ds/);
  });

  it("without a terminal: a line per file, no bar", async () => {
    const run = await exportAll(runScript);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split("\n")).toEqual([
      expect.stringMatching(/^wrote \S+\.sql \("Alpha"\)$/),
      expect.stringMatching(/^wrote \S+\.sql \("Beta"\)$/),
      expect.stringMatching(/^wrote \S+\.sql \("Gamma"\)$/),
    ]);
  });
});
