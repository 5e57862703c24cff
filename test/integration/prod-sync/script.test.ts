// scripts/export-prod.ts and `npm run n8n:sync-from-prod` as real processes: exit codes, output without
// secrets, plain progress lines off a terminal, --summary, --json, git staging of MIGRATIONS_DIR.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { sampleNodes, seedWorkflow } from "../../../src/samples/seed.ts";
import type { TestDatabase } from "../../support/db.ts";
import { fakeSecrets } from "../../unit/secrets/fake-secrets.ts";
import { migrationsFolder, runScript, type Folder } from "../migrations/helpers.ts";
import { DAY, database, dropDatabases, filesIn } from "./helpers.ts";

afterEach(dropDatabases);

const ROOT = path.resolve(import.meta.dirname, "../../..");
const exec = promisify(execFile);
const s = fakeSecrets(99);

function exportProdScript(db: TestDatabase, folder: Folder, args: readonly string[] = [], env: Record<string, string> = {}) {
  return runScript("export-prod", args, { DATABASE_URL: db.url, MIGRATIONS_DIR: folder.migrationsDir, N8N_DB_SCHEMA: db.schema, ...env }, folder.dir);
}

describe("scripts/export-prod.ts", () => {
  it("exits 5 on a planted secret, prints it masked with the allowlist entry, never the value; plain lines off a terminal", async () => {
    const prod = await database("n8n2");
    const nodes = [...sampleNodes(), { parameters: { apiKey: s.google }, id: "a1", name: "Maps", type: "n8n-nodes-base.httpRequest", typeVersion: 4, position: [0, 0] }];
    await seedWorkflow(prod, { name: "Leaky", nodes, updatedAt: new Date(Date.now() - DAY) });
    await seedWorkflow(prod, { name: "Clean", updatedAt: new Date(Date.now() - DAY) });
    const folder = migrationsFolder();
    const summaryFile = path.join(folder.dir, "summary.md");

    const run = await exportProdScript(prod, folder, ["--summary", summaryFile]);

    expect(run.code).toBe(5);
    const all = `${run.stdout}\n${run.stderr}\n${await readFile(summaryFile, "utf8")}`;
    expect(all).not.toContain(s.google);
    expect(run.stdout).toContain("2 workflow(s) matched: 2 to export, 0 already exported");
    expect(run.stdout).toMatch(/exported "Clean" \(\w+\) -> supabase\/migrations\/\d{14}_prod_sync_clean\.sql/);
    expect(run.stdout).toMatch(/blocked {2}"Leaky" \(\w+\): 1 secret\(s\) found, no file written/);
    expect(run.stderr).toContain(`secret in "Leaky" node "Maps" parameters.apiKey: google-api-key ${s.google.slice(0, 4)}… (39 chars); if acceptable, add to .n8n-sync-allow-secrets.json: {"workflowId":`);
    expect(run.stderr).toMatch(/1 file\(s\) written, 0 already exported, 1 blocked by secrets: move those values into n8n credentials/);
    expect(await readFile(summaryFile, "utf8")).toContain("## n8n production sync");
    // a terminal (or a pipe) gets lines, not the pull request's Markdown; CI logs still get the Markdown
    expect(run.stdout).not.toMatch(/## n8n production sync|classDef|<details>|\| result \|/);
    expect(run.stdout).toContain(`review summary (changes, credentials, secrets, diagrams) written to ${summaryFile}`);
    expect((await exportProdScript(prod, migrationsFolder(), [], { GITHUB_ACTIONS: "true" })).stdout).toContain("## n8n production sync");
    expect((await filesIn(folder.migrationsDir)).map((f) => f.file)).toEqual([expect.stringMatching(/_prod_sync_clean\.sql$/)]);
  });

  it("--json gives the result; a second run writes nothing and says so", async () => {
    const prod = await database("n8n2");
    await seedWorkflow(prod, { name: "Orders", updatedAt: new Date(Date.now() - DAY) });
    const folder = migrationsFolder();
    const first = await exportProdScript(prod, folder, ["--json"]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ env: "production", matched: 1, written: 1, exitCode: 0 });

    const second = await exportProdScript(prod, folder);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("0 file(s) written, 1 already exported, 0 blocked by secrets: nothing new to export");
    expect(await filesIn(folder.migrationsDir)).toHaveLength(1);
  });

  it("EXPORT_PROD_DAYS sets the window; bad numbers and a dev env on the prod database are usage errors", async () => {
    const prod = await database("n8n2");
    await seedWorkflow(prod, { name: "Ten days", updatedAt: new Date(Date.now() - 10 * DAY) });
    const folder = migrationsFolder();
    // Changed 10 days ago: outside the default 7 days, inside EXPORT_PROD_DAYS=11.
    expect((await exportProdScript(prod, folder, [], { EXPORT_PROD_DAYS: "11" })).stdout).toContain("1 workflow(s) matched");

    const days = await exportProdScript(prod, folder, ["--days", "0"]);
    expect(days.code).toBe(2);
    expect(days.stderr).toContain('--days must be a whole number of 1 or more, got "0"');
    const sameDb = await exportProdScript(prod, folder, ["--dev-env", "development"]);
    expect(sameDb.code).toBe(2);
    expect(sameDb.stderr).toContain("--dev-env development has the same DATABASE_URL as production");
  });
});

describe("npm run n8n:sync-from-prod", () => {
  it("exports, then stages MIGRATIONS_DIR (the configured folder) and shows git status", async () => {
    const prod = await database("n8n2");
    await seedWorkflow(prod, { name: "Orders", updatedAt: new Date(Date.now() - DAY) });
    const folder = migrationsFolder();
    await exec("git", ["init", "-q"], { cwd: folder.dir });

    const { stdout } = await exec("npm", ["run", "--silent", "n8n:sync-from-prod"], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1", DATABASE_URL: prod.url, MIGRATIONS_DIR: folder.migrationsDir, N8N_DB_SCHEMA: prod.schema },
    });

    expect(stdout).toMatch(/Changes to be committed:[\s\S]*new file: {3}\d{14}_prod_sync_orders\.sql/);
    const staged = await exec("git", ["diff", "--cached", "--name-only"], { cwd: folder.dir });
    expect(staged.stdout.trim()).toMatch(/^supabase\/migrations\/\d{14}_prod_sync_orders\.sql$/);
  });

  it("stages only the files it wrote: other work in the folder stays unstaged, and nothing when it wrote nothing", async () => {
    const prod = await database("n8n2");
    await seedWorkflow(prod, { name: "Orders", updatedAt: new Date(Date.now() - DAY) });
    const folder = migrationsFolder();
    await exec("git", ["init", "-q"], { cwd: folder.dir });
    folder.write("20250101000000_work_in_progress.sql", "create table wip (id int);");
    const sync = () =>
      exec("npm", ["run", "--silent", "n8n:sync-from-prod"], {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: "1", GITHUB_ACTIONS: "", DATABASE_URL: prod.url, MIGRATIONS_DIR: folder.migrationsDir, N8N_DB_SCHEMA: prod.schema },
      });
    const staged = async () => (await exec("git", ["diff", "--cached", "--name-only"], { cwd: folder.dir })).stdout.trim();

    await sync();
    expect(await staged()).toMatch(/^supabase\/migrations\/\d{14}_prod_sync_orders\.sql$/);
    await exec("git", ["reset", "-q"], { cwd: folder.dir });
    const again = await sync();
    expect(again.stdout).toContain("git add: nothing written, nothing staged");
    expect(await staged()).toBe("");
  });
});
