// `npm run bench [-- --n 1000 --runs 3 --sizes 100,1000,5000]`: n8n-sync against the tools users would
// use instead, side by side on the same generated workflows and the same PostgreSQL server, each run as
// the real process a user starts. Prints medians and ratios, writes bench/results.json. Goals come from
// the issue and are reported, never asserted.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import { dirname, join } from "node:path";
import { Command } from "commander";
import { cachedInstall, N8N_2X } from "../test/e2e/support/install.ts";
import { freePort } from "../src/samples/embedded-postgres.ts";
import { withDatabase } from "../test/e2e/support/instance.ts";
import { pickServer } from "../test/e2e/support/postgres.ts";
import { PROJECT_ROOT, scriptExists } from "../test/e2e/support/scripts.ts";
import { installTarball, packTarball } from "../test/support/package.ts";
import { generateWorkflows } from "./generate.ts";
import { measureOk, type Command as Cmd } from "./measure.ts";
import { growthRows, ratios, renderGrowth, renderTable, summarize, type Comparison, type Series } from "./report.ts";
import { createN8nDatabase, dropDatabase, insertWorkflows } from "./seed.ts";

const MEMORY_GOAL_MIB = 150;
/** peak memory of an export at the largest growth size over the smallest */
const MEMORY_GROWTH_GOAL = { tasks: ["export"], ratio: 1.2 };
const TSX = join(PROJECT_ROOT, "node_modules", ".bin", "tsx");
const SUPABASE = join(PROJECT_ROOT, "node_modules", ".bin", "supabase");
// The Go binary the npm package's node shim starts: what `supabase` is when installed natively.
const SUPABASE_BINARY = join(PROJECT_ROOT, "node_modules", "@supabase", `cli-${process.platform}-${process.arch}`, "bin", "supabase");
const OURS_EXPORT = "n8n-sync export.ts --all";
const OURS_EXPORT_PROD = "n8n-sync export-prod.ts";
// migrate-up and the exports ship as bundles (npm run build, on npm ci; the npm scripts run them):
// measure what runs.
const bundleOf = (name: string) => join(PROJECT_ROOT, "dist", `${name}.mjs`);
const BUNDLE = bundleOf("migrate-up");
const OURS_APPLY = existsSync(BUNDLE) ? "n8n-sync migrate-up (dist bundle)" : "n8n-sync migrate-up (tsx)";
const OURS_INSTALLED = "n8n-sync migrate-up (installed package's bin)";
const OURS_INSTALLED_NPX = "npx n8n-sync migrate-up (installed package)";
const N8N_CLI = `n8n ${N8N_2X} CLI`;
const SUPABASE_CLI = "supabase CLI 2.117.0";
const SUPABASE_NATIVE = "supabase CLI 2.117.0 (native binary)";
const NPX_SUPABASE = "npx supabase migration up";
// The design card's interface: what a developer types.
const NPX_TSX = "npx tsx scripts/migrate-up.ts";
const PSQL = "psql -1 -f (floor)";
// What no migrate-up can beat on a start with nothing pending: a node process that connects, reads the
// applied versions in one round trip and reads and hashes every file.
const NOOP_FLOOR = "node + 1 round trip + digest (floor)";
const NOOP_FLOOR_SCRIPT = `import pg from "pg"; import { createHash } from "node:crypto"; import { readdirSync, readFileSync } from "node:fs";
const client = new pg.Client({ connectionString: process.env.DATABASE_URL }); await client.connect();
await client.query("select version from supabase_migrations.schema_migrations order by version");
const dir = process.env.MIGRATIONS_DIR; for (const f of readdirSync(dir).sort()) createHash("md5").update(readFileSync(dir + "/" + f)).digest("hex");
await client.end();`;

const program = new Command("bench")
  .description("n8n-sync against n8n's CLI, Supabase CLI and psql on the same data")
  .option("--n <count>", "workflows in the side-by-side comparison", (v) => Number.parseInt(v, 10), 1000)
  .option("--runs <count>", "runs of each measurement (medians are reported)", (v) => Number.parseInt(v, 10), 3)
  .option("--sizes <list>", "sizes for n8n-sync's memory growth (empty to skip)", "100,1000,5000")
  .option("--out <file>", "JSON results", join(PROJECT_ROOT, "bench", "results.json"))
  .parse();
const options = program.opts<{ n: number; runs: number; sizes: string; out: string }>();
const sizes = options.sizes
  .split(",")
  .map((size) => Number.parseInt(size, 10))
  .filter((size) => size > 0);

const server = await pickServer();
const work = await mkdtemp(join(os.tmpdir(), "n8n-sync-bench-"));
const prefix = `n8nsync_bench_${process.pid}`;
const template = `${prefix}_tpl`;
const series: Series[] = [];
const createdDatabases: string[] = [];
const log = (line: string) => console.log(`bench: ${line}`);

try {
  // A stale bundle would measure old code.
  if (existsSync(BUNDLE)) await measureOk({ command: "npm", args: ["run", "--silent", "build"], cwd: PROJECT_ROOT });
  log(`PostgreSQL ${server.kind}; ${os.cpus().length} CPUs; work folder ${work}`);
  await createN8nDatabase(server.adminUrl, template);

  // What any TypeScript command costs before doing anything: the floor under every "ours" row.
  await record("start-up floor (empty script)", "tsx", undefined, () => measureOk({ command: TSX, args: ["-e", ""], cwd: PROJECT_ROOT }));
  await record("start-up floor (empty script)", "node", undefined, () => measureOk({ command: process.execPath, args: ["-e", ""] }));
  const main = await compare(options.n);
  const growth: Series[] = [];
  for (const size of sizes) growth.push(...(await ours(size)));
  series.push(...growth);

  const noopFloor = { floor: NOOP_FLOOR, floorNote: "node start + 1 round trip + digesting the files" };
  const comparisons: Comparison[] = [
    { task: main.exportTask, ours: OURS_EXPORT, peer: N8N_CLI, targetRatio: 0.3 },
    { task: main.exportTask, ours: OURS_EXPORT_PROD, peer: N8N_CLI, targetRatio: 0.3 },
    { task: main.applyTask, ours: OURS_APPLY, peer: SUPABASE_CLI, targetRatio: 0.3 },
    { task: main.applyTask, ours: OURS_APPLY, peer: PSQL, targetRatio: 1.3, floor: PSQL, floorNote: "the files in one psql transaction, no history" },
    { task: main.noopTask, ours: OURS_INSTALLED, peer: SUPABASE_NATIVE, targetRatio: 0.3, ...noopFloor },
    { task: main.noopTask, ours: OURS_APPLY, peer: SUPABASE_NATIVE, ...noopFloor },
    { task: main.noopTask, ours: NPX_TSX, peer: NPX_SUPABASE, targetRatio: 0.7, ...noopFloor },
    { task: main.noopTask, ours: OURS_INSTALLED_NPX, peer: NPX_SUPABASE },
    { task: main.noopTask, ours: OURS_APPLY, peer: SUPABASE_CLI },
  ];
  const summaries = series.map(summarize);
  const ratioRows = ratios(summaries, comparisons);
  console.log(`\nn8n-sync benchmark: ${options.n} workflows, medians of ${options.runs} runs\n`);
  console.log(renderTable(summaries, ratioRows, MEMORY_GOAL_MIB));
  if (sizes.length > 0) {
    console.log(`\ngrowth (one run each; the memory goal is flat in N):\n`);
    console.log(renderGrowth(growthRows(summaries, sizes), sizes, MEMORY_GROWTH_GOAL));
  }
  const results = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres: server.kind },
    n: options.n,
    runs: options.runs,
    sizes,
    goals: {
      applyVsSupabase: 0.3,
      applyVsPsqlFloor: 1.3,
      noopVsSupabaseNative: 0.3,
      noopNpxTsxVsNpxSupabase: 0.7,
      exportVsN8nCli: 0.3,
      peakMemoryMiB: MEMORY_GOAL_MIB,
      memoryGrowth: MEMORY_GROWTH_GOAL,
    },
    summaries,
    ratios: ratioRows,
    samples: series,
  };
  await writeFile(options.out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nbench: wrote ${options.out}`);
} finally {
  for (const database of createdDatabases) await dropDatabase(server.adminUrl, database).catch(() => {});
  await dropDatabase(server.adminUrl, template).catch(() => {});
  await rm(work, { recursive: true, force: true });
  await server.stop();
}

/** The side-by-side comparison at one size: export, apply of N pending files, no-op. */
async function compare(n: number) {
  const exportTask = `export ${n} workflows`;
  const applyTask = `apply ${n} pending workflow migrations`;
  const noopTask = `no-op start, ${n} files applied`;
  const source = await sourceDatabase(n);

  // Export. Each run writes into an empty folder: the export of an unchanged workflow is otherwise skipped.
  const filesDir = join(work, `files-${n}`, "supabase", "migrations");
  await record(exportTask, OURS_EXPORT, scriptExists("export") ? undefined : "scripts/export.ts not written yet", async (run) => {
    const dir = run === 0 ? filesDir : join(work, `export-${n}-${run}`);
    await mkdir(dir, { recursive: true });
    return expectFiles(dir, n, await ourScript("export", ["--env", "development", "--all"], { DATABASE_URL: source, MIGRATIONS_DIR: dir }));
  });
  await record(exportTask, OURS_EXPORT_PROD, scriptExists("export-prod") ? undefined : "scripts/export-prod.ts not written yet", async (run) => {
    const dir = join(work, `export-prod-${n}-${run}`);
    await mkdir(dir, { recursive: true });
    return expectFiles(dir, n, await ourScript("export-prod", ["--days", "36500"], { DATABASE_URL: source, MIGRATIONS_DIR: dir }));
  });
  const n8n = cachedInstall(N8N_2X);
  await record(exportTask, N8N_CLI, n8n ? undefined : `n8n ${N8N_2X} is not in the e2e cache (run npm run test:e2e once)`, async (run) => {
    const dir = join(work, `n8n-export-${n}-${run}`);
    await mkdir(dir, { recursive: true });
    return expectFiles(dir, n, await n8nCli(["export:workflow", "--all", "--separate", `--output=${dir}/`], source));
  });

  // Apply the files our export wrote to fresh copies of the n8n database (copying is not timed).
  const files = existsSync(filesDir) ? (await readdir(filesDir)).filter((file) => file.endsWith(".sql")).sort() : [];
  const noFiles = files.length === 0 ? "no migration files (scripts/export.ts missing or failed)" : undefined;
  const supabaseDir = join(work, `supabase-${n}`);
  const concatenated = join(work, `all-${n}.sql`);
  if (!noFiles) {
    await mkdir(join(supabaseDir, "supabase"), { recursive: true });
    await writeFile(join(supabaseDir, "supabase", "config.toml"), 'project_id = "n8n-sync-bench"\n');
    await symlink(filesDir, join(supabaseDir, "supabase", "migrations"));
    const bodies = await Promise.all(files.map((file) => readFile(join(filesDir, file), "utf8")));
    await writeFile(concatenated, bodies.join("\n;\n"));
  }
  const oursMissing = noFiles ?? (scriptExists("migrate-up") ? undefined : "scripts/migrate-up.ts not written yet");
  const oursTargets: string[] = [];
  const supabaseTargets: string[] = [];
  await record(applyTask, OURS_APPLY, oursMissing, async (run) => {
    const target = await freshTarget(`ours_${n}_${run}`);
    oursTargets.push(target);
    return ourScript("migrate-up", ["--env", "production"], { DATABASE_URL: target, MIGRATIONS_DIR: filesDir });
  });
  await record(applyTask, SUPABASE_CLI, noFiles, async (run) => {
    const target = await freshTarget(`supabase_${n}_${run}`);
    supabaseTargets.push(target);
    return measureOk({ command: SUPABASE, args: ["migration", "up", "--db-url", `${target}?sslmode=disable`], cwd: supabaseDir });
  });
  await record(applyTask, PSQL, noFiles, async (run) => {
    const target = await freshTarget(`psql_${n}_${run}`);
    return measureOk({ command: "psql", args: ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-f", concatenated, target] });
  });

  // Nothing pending: every file already applied, as on each restart.
  await record(noopTask, OURS_APPLY, oursMissing, (run) =>
    ourScript("migrate-up", ["--env", "production"], { DATABASE_URL: oursTargets[run % oursTargets.length]!, MIGRATIONS_DIR: filesDir }),
  );
  await record(noopTask, SUPABASE_CLI, noFiles, (run) =>
    measureOk({ command: SUPABASE, args: ["migration", "up", "--db-url", `${supabaseTargets[run % supabaseTargets.length]}?sslmode=disable`], cwd: supabaseDir }),
  );
  await record(noopTask, SUPABASE_NATIVE, noFiles ?? (existsSync(SUPABASE_BINARY) ? undefined : `no ${SUPABASE_BINARY}`), (run) =>
    measureOk({ command: SUPABASE_BINARY, args: ["migration", "up", "--db-url", `${supabaseTargets[run % supabaseTargets.length]}?sslmode=disable`], cwd: supabaseDir }),
  );
  await record(noopTask, NOOP_FLOOR, oursMissing, (run) =>
    measureOk({
      command: process.execPath,
      args: ["--input-type=module", "-e", NOOP_FLOOR_SCRIPT],
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: oursTargets[run % oursTargets.length]!, MIGRATIONS_DIR: filesDir },
    }),
  );
  // The same start as a team runs it: the packed package installed into their repository, its bin run
  // directly (as an npm script does) and through npx.
  const team = oursMissing ? undefined : await installedPackage();
  const installedEnv = (run: number) => ({ ...process.env, NODE_ENV: "", NO_COLOR: "1", DATABASE_URL: oursTargets[run % oursTargets.length]!, MIGRATIONS_DIR: filesDir });
  await record(noopTask, OURS_INSTALLED, oursMissing, (run) =>
    measureOk({ command: join(team!, "node_modules", ".bin", "n8n-sync"), args: ["migrate-up", "--env", "production"], cwd: team!, env: installedEnv(run) }),
  );
  await record(noopTask, OURS_INSTALLED_NPX, oursMissing, (run) =>
    measureOk({ command: "npx", args: ["--no-install", "n8n-sync", "migrate-up", "--env", "production"], cwd: team!, env: installedEnv(run) }),
  );
  // Through npx, as people type them (npx finds both in this project's node_modules/.bin).
  await record(noopTask, NPX_TSX, oursMissing, (run) =>
    measureOk({
      command: "npx",
      args: ["tsx", join(PROJECT_ROOT, "scripts", "migrate-up.ts"), "--env", "production"],
      cwd: PROJECT_ROOT,
      env: { ...process.env, NODE_ENV: "", NO_COLOR: "1", DATABASE_URL: oursTargets[run % oursTargets.length]!, MIGRATIONS_DIR: filesDir },
    }),
  );
  await record(noopTask, NPX_SUPABASE, noFiles, (run) =>
    measureOk({
      command: "npx",
      args: ["--no-install", "supabase", "--workdir", supabaseDir, "migration", "up", "--db-url", `${supabaseTargets[run % supabaseTargets.length]}?sslmode=disable`],
      cwd: PROJECT_ROOT,
    }),
  );
  return { exportTask, applyTask, noopTask };
}

/** n8n-sync alone at one size: time and peak memory of export and apply, to show memory stays flat. */
async function ours(n: number): Promise<Series[]> {
  const exportTask = `growth: export ${n}`;
  const applyTask = `growth: apply ${n}`;
  const out: Series[] = [];
  const source = await sourceDatabase(n);
  const dir = join(work, `growth-${n}`, "migrations");
  await mkdir(dir, { recursive: true });
  const exportMissing = scriptExists("export") ? undefined : "scripts/export.ts not written yet";
  const exported = await collect(exportTask, OURS_EXPORT, exportMissing, 1, async () => expectFiles(dir, n, await ourScript("export", ["--env", "development", "--all"], { DATABASE_URL: source, MIGRATIONS_DIR: dir })));
  out.push(exported);
  if (scriptExists("export-prod")) {
    out.push(
      await collect(exportTask, OURS_EXPORT_PROD, undefined, 1, async () => {
        const prodDir = join(work, `growth-prod-${n}`);
        await mkdir(prodDir, { recursive: true });
        return expectFiles(prodDir, n, await ourScript("export-prod", ["--days", "36500"], { DATABASE_URL: source, MIGRATIONS_DIR: prodDir }));
      }),
    );
  }
  const applyMissing = exported.missing ?? (scriptExists("migrate-up") ? undefined : "scripts/migrate-up.ts not written yet");
  out.push(
    await collect(applyTask, OURS_APPLY, applyMissing, 1, async () =>
      ourScript("migrate-up", ["--env", "production"], { DATABASE_URL: await freshTarget(`growth_${n}`), MIGRATIONS_DIR: dir }),
    ),
  );
  return out;
}

/** A scratch repository with the packed n8n-sync installed (npm pack, npm install <tarball>); its path. */
async function installedPackage(): Promise<string> {
  const repo = join(work, "team-repo");
  await mkdir(repo, { recursive: true });
  await writeFile(join(repo, "package.json"), '{ "name": "team-repo", "private": true }\n');
  log("packing n8n-sync and installing the tarball into a scratch repository");
  const tarball = packTarball();
  installTarball(repo, tarball);
  await rm(dirname(tarball), { recursive: true, force: true });
  return repo;
}

async function sourceDatabase(n: number): Promise<string> {
  const name = `${prefix}_src_${n}`;
  if (createdDatabases.includes(name)) return withDatabase(server.adminUrl, name);
  log(`seeding ${n} generated workflows into ${name}`);
  const url = await createN8nDatabase(server.adminUrl, name, template);
  createdDatabases.push(name);
  await insertWorkflows(url, generateWorkflows(n));
  return url;
}

async function freshTarget(label: string): Promise<string> {
  const name = `${prefix}_${label}`;
  createdDatabases.push(name);
  return createN8nDatabase(server.adminUrl, name, template);
}

function ourScript(name: string, args: string[], env: Record<string, string>) {
  const bundle = bundleOf(name);
  const [command, entry] = existsSync(bundle) ? [process.execPath, bundle] : [TSX, join(PROJECT_ROOT, "scripts", `${name}.ts`)];
  // NODE_ENV cleared: --env decides, and no .env file of this checkout is read (none is committed).
  return measureOk({ command, args: [entry, ...args], cwd: PROJECT_ROOT, env: { ...process.env, NODE_ENV: "", NO_COLOR: "1", ...env } });
}

async function n8nCli(args: string[], url: string) {
  const install = cachedInstall(N8N_2X)!;
  const db = new URL(url);
  const home = join(work, "n8n-cli-home");
  await mkdir(home, { recursive: true });
  const command: Cmd = {
    command: install.nodeBin,
    args: [install.n8nBin, ...args],
    cwd: home,
    env: {
      ...process.env,
      PATH: install.path,
      DB_TYPE: "postgresdb",
      DB_POSTGRESDB_HOST: db.hostname,
      DB_POSTGRESDB_PORT: db.port || "5432",
      DB_POSTGRESDB_DATABASE: db.pathname.slice(1),
      DB_POSTGRESDB_USER: decodeURIComponent(db.username) || "postgres",
      DB_POSTGRESDB_PASSWORD: decodeURIComponent(db.password),
      N8N_USER_FOLDER: home,
      N8N_ENCRYPTION_KEY: "n8n-sync-bench",
      N8N_RUNNERS_BROKER_PORT: String(await freePort()),
      N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: "false",
      N8N_DIAGNOSTICS_ENABLED: "false",
      N8N_VERSION_NOTIFICATIONS_ENABLED: "false",
      N8N_DISABLED_MODULES: "mcp-registry",
    },
  };
  return measureOk(command);
}

/** an export that did not write one file per workflow measured the wrong thing */
async function expectFiles<T>(dir: string, n: number, measurement: T): Promise<T> {
  const files = (await readdir(dir)).filter((file) => /\.(sql|json)$/.test(file));
  if (files.length !== n) throw new Error(`expected ${n} files in ${dir}, found ${files.length}`);
  return measurement;
}

/** runs a measurement options.runs times into the series list (or records why it cannot) */
async function record(task: string, tool: string, missing: string | undefined, run: (run: number) => Promise<{ ms: number; peakMiB: number }>): Promise<void> {
  series.push(await collect(task, tool, missing, options.runs, run));
}

async function collect(task: string, tool: string, missing: string | undefined, runs: number, run: (run: number) => Promise<{ ms: number; peakMiB: number }>): Promise<Series> {
  if (missing) {
    log(`${task} / ${tool}: skipped (${missing})`);
    return { task, tool, samples: [], missing };
  }
  const samples = [];
  for (let i = 0; i < runs; i++) {
    try {
      const { ms, peakMiB } = await run(i);
      samples.push({ ms, peakMiB });
      log(`${task} / ${tool}: run ${i + 1}: ${(ms / 1000).toFixed(3)} s, ${peakMiB.toFixed(0)} MiB`);
    } catch (error) {
      const reason = (error as Error).message.split("\n").slice(0, 6).join(" | ").slice(0, 400);
      log(`${task} / ${tool}: FAILED: ${(error as Error).message.slice(0, 3000)}`);
      return { task, tool, samples, missing: `failed: ${reason}` };
    }
  }
  return { task, tool, samples };
}
