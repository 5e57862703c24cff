// `npm run n8n:migrate-up` and `n8n-sync migrate-up` run esbuild bundles (dist/, built by `prepare` on npm ci
// and before npm pack) because migrate-up runs on every start and tsx's own start-up costs more than the
// whole nothing-pending run. The bundles must behave as scripts/migrate-up.ts does and keep Prisma and the
// n8n/dry-run code out of the start-up path.
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { historyRows, migrationsFolder } from "./helpers.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
// Inside the project so the bundle's bare imports (pg, commander) resolve from node_modules.
const OUT = path.join(ROOT, "node_modules", ".cache", `n8n-sync-dist-test-${process.pid}`);
const packageJson = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };

function runBundle(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(OUT, "migrate-up.mjs"), ...args], { cwd, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

describe("the compiled migrate-up entry", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    // The same command as `npm run build`, into a private folder.
    const build = packageJson.scripts.build!.replace(/^rm -rf dist && /, "").replace("--outdir=dist", `--outdir=${OUT}`).split(" ");
    execFileSync(path.join(ROOT, "node_modules", ".bin", build[0]!), build.slice(1), { cwd: ROOT });
    db = await createTestDatabase("empty");
  });
  afterAll(async () => {
    rmSync(OUT, { recursive: true, force: true });
    await db.drop();
  });

  it("is what npm run n8n:migrate-up runs, and npm ci (prepare) builds it", () => {
    expect(packageJson.scripts["n8n:migrate-up"]).toBe("node dist/migrate-up.mjs");
    expect(packageJson.scripts["n8n:create-migration"]).toBe("node dist/export.mjs");
    expect(packageJson.scripts.prepare).toContain("npm run build");
  });

  it("applies pending files, then finds nothing pending, like the tsx script", async () => {
    const folder = migrationsFolder({ "20250101000000_a.sql": "create table a (x int);", "20250101000001_b.sql": "insert into a values (1);" });
    const env = { DATABASE_URL: db.url, MIGRATIONS_DIR: folder.migrationsDir };
    const first = await runBundle([], env, folder.dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/applied 2 migrations/);
    expect((await historyRows(db)).map((row) => row.version)).toEqual(["20250101000000", "20250101000001"]);
    const again = await runBundle([], env, folder.dir);
    expect(again.stdout).toMatch(/up to date: 2 migrations applied/);
    expect((await runBundle(["--bogus"], env, folder.dir)).code).toBe(2);
  });

  it("loads no Prisma at all and the n8n/dry-run code only on demand", () => {
    const files = readdirSync(OUT).filter((file) => file.endsWith(".mjs"));
    const staticImports = (file: string) =>
      [...readFileSync(path.join(OUT, file), "utf8").matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]!);
    // Everything migrate-up's start-up evaluates: the entry and the chunks it imports statically.
    const startup = new Set<string>();
    const visit = (file: string) => {
      if (startup.has(file)) return;
      startup.add(file);
      for (const spec of staticImports(file)) if (spec.startsWith("./")) visit(spec.slice(2));
    };
    visit("migrate-up.mjs");
    // `n8n-sync migrate-up`: the bin and the one command module it imports for migrate-up.
    visit("n8n-sync.mjs");
    const command = /import\("\.\/(migrate-up-[\w-]+\.mjs)"\)/.exec(readFileSync(path.join(OUT, "n8n-sync.mjs"), "utf8"))?.[1];
    expect(command).toBeDefined();
    visit(command!);
    expect(files.filter((file) => /^(export|export-prod|status|demo|rollback|init)-/.test(file)).some((file) => startup.has(file))).toBe(false);
    for (const file of startup) {
      expect(staticImports(file).filter((spec) => spec.includes("prisma"))).toEqual([]);
      expect(readFileSync(path.join(OUT, file), "utf8")).not.toContain("generated/prisma");
    }
    // The dry-run prediction is a separate chunk reached through import().
    const predict = files.filter((file) => file.startsWith("predict-"));
    expect(predict.length).toBeGreaterThan(0);
    for (const file of predict) expect(startup.has(file)).toBe(false);
    // The progress bar's library is loaded when files are pending, never on a start with nothing to do.
    for (const file of startup) expect(staticImports(file).filter((spec) => spec.includes("cli-progress"))).toEqual([]);
    // The export entries are built too (npm run n8n:create-migration / n8n:create-history run them).
    expect(files).toEqual(expect.arrayContaining(["export.mjs", "export-prod.mjs"]));
  });
});
