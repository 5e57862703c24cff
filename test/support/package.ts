// The n8n-sync tarball as `npm pack` makes it, built without touching this checkout: the package's files
// are staged in a temp folder with dist/ and types/ built fresh there (the same esbuild command as
// `npm run build`, the same tsc project as `npm run build:types`), then packed. The install test and
// the bench install it into scratch repositories the way a team would.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = path.join(ROOT, "node_modules", ".bin");

interface PackageJson {
  version: string;
  files: string[];
  scripts: Record<string, string>;
}

export function packageJson(): PackageJson {
  return JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as PackageJson;
}

/** Builds and packs the package; returns the tarball's path (in a temp folder of its own: remove it after). */
export function packTarball(): string {
  const pkg = packageJson();
  const stage = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-pack-"));
  const build = pkg.scripts.build!.replace(/^rm -rf dist && /, "").replace("--outdir=dist", `--outdir=${path.join(stage, "dist")}`).split(" ");
  execFileSync(path.join(BIN, build[0]!), build.slice(1), { cwd: ROOT });
  execFileSync(path.join(BIN, "tsc"), ["-p", "tsconfig.types.json", "--outDir", path.join(stage, "types")], { cwd: ROOT });
  for (const entry of ["package.json", "README.md", ...pkg.files.filter((file) => !/^(dist|types)\/?$/.test(file))]) {
    mkdirSync(path.dirname(path.join(stage, entry)), { recursive: true });
    cpSync(path.join(ROOT, entry), path.join(stage, entry), { recursive: true });
  }
  const out = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-tarball-"));
  // The scripts ran above in their build-only form; prepare would regenerate this checkout's Prisma client.
  execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", out], { cwd: stage });
  rmSync(stage, { recursive: true, force: true });
  return path.join(out, `n8n-sync-${pkg.version}.tgz`);
}

/** `npm install <tarball>` in repo, from the npm cache npm ci filled (the registry only for what is missing). */
export function installTarball(repo: string, tarball: string): void {
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: repo, stdio: "pipe", timeout: 300_000 });
}
