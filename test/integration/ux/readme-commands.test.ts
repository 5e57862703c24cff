// README's "Commands" section, run as written: every line of its sh block against a test database (in
// order, as a user would type them), and its monorepo wiring in a scratch monorepo, where a failed
// migrate-up must stop the server start. A README that lies fails here.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { editWorkflow, seedWorkflow } from "../../../src/samples/seed.ts";
import { sh } from "../../support/shell.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** The fenced blocks of README's "## Commands" section, by language. */
function commandBlocks(): { sh: string[]; json: string[] } {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("\n## Commands\n");
  if (start === -1) throw new Error('README.md has no "## Commands" section');
  const next = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, next === -1 ? undefined : next);
  const blocks = { sh: [] as string[], json: [] as string[] };
  for (const m of section.matchAll(/```(sh|json)\n([\s\S]*?)```/g)) blocks[m[1] as "sh" | "json"].push(m[2]!);
  return blocks;
}

/** One README line: the command without its trailing comment, and the npm script it runs. */
function commandsOf(block: string): Array<{ line: string; script: string }> {
  return block
    .split("\n")
    .map((line) => line.replace(/\s+#\s.*$/, "").trim())
    .filter(Boolean)
    .map((line) => {
      const script = /^npm run (\S+)/.exec(line)?.[1];
      if (!script) throw new Error(`README command is not an npm script: ${line}`);
      return { line, script };
    });
}

/** What each documented command must do when run in README's order on one database. */
const EXPECTED: Record<string, RegExp[]> = {
  "n8n:create-migration": [/wrote \S+\/\d{14}_agent_webhook_handler\.sql \("agent_webhook_handler"\)/],
  "n8n:migrate-up": [/applied 1 migration \(1 workflow: 1 unchanged\)/],
  "n8n:status": [/1 applied, 0 pending, 0 drifted; workflows: 1 same/],
  "n8n:validate": [/validated 1 migration file \(\w+\): no problems/],
  "n8n:diff": [/agent_webhook_handler \(\w+\) {2}\S+_agent_webhook_handler\.sql {2}new: no earlier migration/, /1 workflow migration compared \(given\)/],
  "n8n:create-history": [/reading production .* read-only/, /already exported/i],
  // it wrote nothing (already exported): it stages nothing, not the whole folder
  "n8n:sync-from-prod": [/already exported/i, /git add: nothing written, nothing staged/],
  "n8n:rollback": [/wrote \S+\/\d{14}_rollback_agent_webhook_handler\.sql: "agent_webhook_handler" back to version/],
  demo: [/Using PostgreSQL at /, /Story 3:/, /Done: 5 migration files in .*; executions kept on both sides\./],
};

describe("README commands", () => {
  let db: TestDatabase;
  let project: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase("n8n2");
    project = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-readme-"));
    mkdirSync(path.join(project, "supabase", "migrations"), { recursive: true });
    execFileSync("git", ["init", "-q", "-b", "main"], { cwd: project });
    env = { DATABASE_URL: db.url, MIGRATIONS_DIR: path.join(project, "supabase", "migrations"), N8N_DB_SCHEMA: db.schema };
    const wf = await seedWorkflow(db, { name: "agent_webhook_handler", updatedAt: new Date(Date.now() - 60_000) });
    await editWorkflow(db, wf.id);
  });
  afterAll(async () => {
    await db.drop();
  });

  it("documents each main command once, and each runs as documented", async () => {
    const { sh: blocks } = commandBlocks();
    const commands = blocks.flatMap(commandsOf);
    expect(commands.map((c) => c.script).sort()).toEqual(Object.keys(EXPECTED).sort());
    const scripts = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts as Record<string, string>;
    for (const { line, script } of commands) {
      expect(scripts[script], `package.json has no script ${script}`).toBeDefined();
      // The demo uses the test server rather than starting a second, embedded one (test/integration/ux/demo.test.ts).
      const run = await sh(line, ROOT, script === "demo" ? { N8N_SYNC_DEMO_POSTGRES_URL: inject("pgAdminUrl") } : env);
      expect({ line, code: run.code }, run.output).toEqual({ line, code: 0 });
      for (const pattern of EXPECTED[script]!) expect(run.output, line).toMatch(pattern);
    }
  });

  it("wires migrate-up before the server: a failed migrate-up stops the start", async () => {
    const { json } = commandBlocks();
    expect(json).toHaveLength(1);
    const wiring = JSON.parse(json[0]!).scripts as Record<string, string>;
    expect(Object.keys(wiring).sort()).toEqual(["dev:api", "prod:restart", "prod:start"]);
    expect(wiring["prod:restart"]).toMatch(/^npm run n8n:migrate-up -- --env production && /);

    // A scratch monorepo: the README's scripts, n8n-sync's own n8n:migrate-up (called in its folder, as
    // docs/operations.md shows), and an app that says it started.
    const monorepo = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-monorepo-"));
    const migrateUp = `npm --prefix ${ROOT} run n8n:migrate-up --`;
    writeFileSync(path.join(monorepo, "package.json"), JSON.stringify({ private: true, scripts: { ...wiring, "n8n:migrate-up": migrateUp } }));
    mkdirSync(path.join(monorepo, "apps", "api"), { recursive: true });
    const started = (mode: string) => `node -e "console.log('api server started (${mode})')"`;
    writeFileSync(
      path.join(monorepo, "apps", "api", "package.json"),
      JSON.stringify({ private: true, scripts: { "start:dev": started("dev"), "start:prod": started("prod") } }),
    );
    const folder = path.join(monorepo, "supabase", "migrations");
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, "20250101000000_app.sql"), "create table readme_app (id int);");
    const good = { ...env, MIGRATIONS_DIR: folder };

    for (const [script, mode] of [["dev:api", "dev"], ["prod:start", "prod"]] as const) {
      const ok = await sh(`npm run ${script}`, monorepo, good);
      expect(ok.code, ok.output).toBe(0);
      expect(ok.output).toMatch(/migrate-up: env (development|production), database /);
      expect(ok.output).toContain(`api server started (${mode})`);

      const failed = await sh(`npm run ${script}`, monorepo, { ...good, DATABASE_URL: "postgresql://nobody:pw@127.0.0.1:1/none" });
      expect(failed.code).not.toBe(0);
      expect(failed.output).toContain("error: cannot connect to postgresql://nobody:***@127.0.0.1:1/none");
      expect(failed.output).not.toContain("api server started");
    }
  });
});
