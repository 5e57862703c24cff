// `n8n-sync init` in scratch repositories, through the command as a user runs it: where it finds the
// migrations, --dry-run changes nothing, what it keeps and what --force replaces, --shell-scripts, and
// that the shell scripts it writes run the real commands.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../support/package.ts";

const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

function n8nSync(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, [path.join(ROOT, "src", "cli", "n8n-sync.ts"), ...args], { cwd, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" } }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

function repo(folders: string[], scripts: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-init-"));
  for (const folder of folders) mkdirSync(path.join(dir, folder), { recursive: true });
  writeFileSync(path.join(dir, "package.json"), `${JSON.stringify({ name: "team", scripts }, null, 2)}\n`);
  return dir;
}

describe("n8n-sync init", () => {
  it("--dry-run prints the plan and writes nothing", async () => {
    const dir = repo(["supabase/migrations"], { "dev:api": "node api.js" });
    const before = readFileSync(path.join(dir, "package.json"), "utf8");
    const run = await n8nSync(["init", "--dry-run"], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("init: migrations in supabase/migrations (no apps/n8n/: shell scripts skipped; --shell-scripts <dir> writes them) (dry run)");
    expect(run.stdout).toMatch(/would update package\.json\n {6}script n8n:create-migration: n8n-sync export\n/);
    expect(run.stdout).toContain("would create .env.development");
    // the closing message: every step init cannot do, the start scripts it found nothing to hook in first
    const next = run.stdout.slice(run.stdout.indexOf("next steps"));
    expect(next).toMatch(/^next steps .*\n {2}1\. .*\.env\.development\.local/);
    expect(next).toContain("no prod:start / prod:restart script in package.json");
    for (const words of ["N8N_PROD_DATABASE_URL", "N8N_SYNC_PR_TOKEN", "Allow GitHub Actions to create", "n8n_sync_reader", "write n8n's tables"]) expect(next).toContain(words);
    expect(readFileSync(path.join(dir, "package.json"), "utf8")).toBe(before);
    expect(existsSync(path.join(dir, ".env.development"))).toBe(false);
  });

  it("keeps a file that differs and says so; --force replaces it", async () => {
    const dir = repo(["supabase/migrations"]);
    writeFileSync(path.join(dir, ".env.production"), "DATABASE_URL=ours\n");
    const kept = await n8nSync(["init"], dir);
    expect(kept.stdout).toContain("  kept .env.production\n      differs from what init writes; --force replaces it\n");
    expect(readFileSync(path.join(dir, ".env.production"), "utf8")).toBe("DATABASE_URL=ours\n");
    const forced = await n8nSync(["init", "--force"], dir);
    expect(forced.stdout).toContain("  update .env.production\n      replaced (--force)\n");
    expect(readFileSync(path.join(dir, ".env.production"), "utf8")).toMatch(/^MIGRATIONS_DIR=supabase\/migrations$/m);
  });

  it("asks for --migrations-dir when it finds none or several (exit 2), and takes it", async () => {
    const none = await n8nSync(["init"], repo([]));
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error: found no supabase\/migrations.*pass --migrations-dir <dir>\n$/);
    const several = repo(["apps/api/supabase/migrations", "apps/web/supabase/migrations"]);
    expect((await n8nSync(["init"], several)).stderr).toContain("found 2 migrations folders (apps/api/supabase/migrations, apps/web/supabase/migrations)");
    const chosen = await n8nSync(["init", "--migrations-dir", "apps/web/supabase/migrations", "--shell-scripts", "tools"], several);
    expect(chosen.code, chosen.stderr).toBe(0);
    expect(readFileSync(path.join(several, ".env.development"), "utf8")).toMatch(/^MIGRATIONS_DIR=apps\/web\/supabase\/migrations$/m);
    expect(readFileSync(path.join(several, "tools", "migrate-up.sh"), "utf8")).toContain('cd "$(dirname "${BASH_SOURCE[0]}")/.."');
  });

  it("says to run it at the root when there is no package.json (exit 2)", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-init-"));
    const run = await n8nSync(["init"], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`error: no package.json in ${dir}: run n8n-sync init at the root of your repository\n`);
  });

  it("--json prints every change", async () => {
    const run = await n8nSync(["init", "--json"], repo(["supabase/migrations"]));
    const result = JSON.parse(run.stdout) as { migrationsDir: string; changes: Array<{ path: string; kind: string }> };
    expect(result.migrationsDir).toBe("supabase/migrations");
    expect(result.changes.map((c) => c.path)).toEqual([
      "package.json",
      ".gitignore",
      ".env.development",
      ".env.production",
      ".github/workflows/n8n-migrations-check.yml",
      ".github/workflows/n8n-prod-sync.yml",
      ".github/PULL_REQUEST_TEMPLATE/prod_sync.md",
      "supabase/n8n-values.json",
    ]);
    expect(new Set(result.changes.map((c) => c.kind))).toEqual(new Set(["update", "create"]));
  });

  it("writes an empty environment values file beside the migrations folder and never replaces a team's one", async () => {
    const dir = repo(["apps/api/supabase/migrations"]);
    expect((await n8nSync(["init"], dir)).code).toBe(0);
    expect(readFileSync(path.join(dir, "apps/api/supabase/n8n-values.json"), "utf8")).toBe("{}\n");
    const values = '{ "API_BASE": { "match": "prefix", "development": "http://localhost:3000" } }\n';
    writeFileSync(path.join(dir, "apps/api/supabase/n8n-values.json"), values);
    const forced = await n8nSync(["init", "--force", "--json"], dir);
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "apps/api/supabase/n8n-values.json"), "utf8")).toBe(values);
  });
});
