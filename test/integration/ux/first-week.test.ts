// What a new team meets in its first week (issue 23), through the commands as they type them: a run
// from a subfolder finds the project root, status exits non-zero on drift, --json errors are JSON on
// stdout, --help lists exit codes, export takes --name and --db-url and lists its files behind a bar,
// migrate-up gives plain SQL files a line each and a dry run speaks English.
import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedWorkflow } from "../../../src/samples/seed.ts";
import { ROOT } from "../../support/package.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { envFor, newFolder, runScript, type Folder } from "./helpers.ts";

describe("a team's first week", () => {
  let dev: TestDatabase;
  let prod: TestDatabase;
  let folder: Folder;

  beforeAll(async () => {
    [dev, prod] = await Promise.all([createTestDatabase("n8n2"), createTestDatabase("n8n2")]);
    folder = newFolder();
    await seedWorkflow(dev, { name: "Week one A" });
    await seedWorkflow(dev, { name: "Week one B" });
  });
  afterAll(async () => {
    await Promise.all([dev.drop(), prod.drop()]);
  });

  it("export --name and --db-url (no DATABASE_URL anywhere) write the named workflow", async () => {
    const env = { MIGRATIONS_DIR: folder.migrationsDir, N8N_DB_SCHEMA: dev.schema };
    const run = await runScript("export", ["--db-url", dev.url, "--name", "Week one A"], env, folder.dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/wrote .*\d{14}_week_one_a\.sql \("Week one A"\)/);
  });

  it("export --all on a terminal lists every file it wrote under the bar's summary", () => {
    const tsx = path.join(ROOT, "node_modules", ".bin", "tsx");
    const output = execFileSync("script", ["-qec", `${tsx} ${path.join(ROOT, "scripts", "export.ts")} --all --force`, "/dev/null"], {
      cwd: folder.dir,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TERM: "xterm", NO_COLOR: "1", ...envFor(dev, folder) },
    }).toString();
    expect(output).toMatch(/wrote \d+ file\(s\) to /);
    expect(output).toMatch(/wrote .*_week_one_a\.sql \("Week one A"\)/);
    expect(output).toMatch(/wrote .*_week_one_b\.sql \("Week one B"\)/);
  });

  it("migrate-up: a dry run reads as English, and a plain SQL file gets its line like a workflow file", async () => {
    folder.write("20200101000000_app_table.sql", "create table app_things (id int);");
    const env = envFor(prod, folder);
    const dry = await runScript("migrate-up", ["--dry-run"], env, folder.dir);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/ {4}would insert Week one A \(/);
    expect(dry.stdout).not.toMatch(/would (inserted|unchanged|skip-conflict|overwrite-conflict)/);
    const run = await runScript("migrate-up", [], env, folder.dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^ {2}applied +20200101000000_app_table\.sql$/m);
    expect(run.stdout).toMatch(/^ {2}inserted +Week one A \(/m);
  });

  it("status from a subfolder finds the project root, and exits 1 when an applied file drifted", async () => {
    // the team's layout: package.json with the n8n: scripts and the .env files at the root, run from apps/api
    const root = folder.dir;
    writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "team", scripts: { "n8n:status": "n8n-sync status" } }));
    writeFileSync(path.join(root, ".env.development.local"), `DATABASE_URL=${prod.url}\nMIGRATIONS_DIR=${path.relative(root, folder.migrationsDir)}\nN8N_DB_SCHEMA=${prod.schema}\n`);
    const api = path.join(root, "apps", "api");
    mkdirSync(api, { recursive: true });
    writeFileSync(path.join(api, "package.json"), JSON.stringify({ name: "api", scripts: { start: "node ." } }));

    const clean = await runScript("status", [], {}, api);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout.split("\n")[0]).toBe(`status: env development, database ${prod.printedUrl}`);

    appendFileSync(path.join(folder.migrationsDir, "20200101000000_app_table.sql"), "\ncreate table more_things (id int);");
    const drifted = await runScript("status", [], {}, api);
    expect(drifted.code).toBe(1);
    expect(drifted.stderr).toContain("drifted: 20200101000000_app_table.sql changed since it was applied");

    // and where it looked, when it finds nothing
    const elsewhere = newFolder();
    const missing = await runScript("status", [], {}, elsewhere.dir);
    expect(missing.stderr).toContain(`read no .env files in ${elsewhere.dir} and the environment`);
  });

  it("--json: an error is a JSON object on stdout (failure and usage alike)", async () => {
    const empty = newFolder();
    const failed = await runScript("status", ["--json"], {}, empty.dir);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toEqual({ error: { message: expect.stringMatching(/^DATABASE_URL is not set/), exitCode: 1 } });
    const usage = await runScript("migrate-up", ["--json", "--no-such-flag"], {}, empty.dir);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toEqual({ error: { message: "unknown option '--no-such-flag'", exitCode: 2 } });
  });

  it("--help of migrate-up, export and export-prod lists the exit codes", async () => {
    for (const script of ["migrate-up", "export", "export-prod"]) {
      const help = await runScript(script, ["--help"], {}, folder.dir);
      expect(help.code).toBe(0);
      expect(help.stdout, script).toMatch(/Exit codes: 0 .*, 1 .*, 2 usage/s);
    }
    expect((await runScript("migrate-up", ["--help"], {}, folder.dir)).stdout).toMatch(/4 N8N_DB_SCHEMA names a schema without n8n's tables while\s+they are elsewhere \(without any, workflow files wait\), 6 another migrate-up held the lock/);
    expect((await runScript("export-prod", ["--help"], {}, folder.dir)).stdout).toContain("5 secrets found");
  });
});
