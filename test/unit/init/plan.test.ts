// init's rules on plain data: which scripts it adds or keeps, migrate-up in front of the start scripts
// once, files created / kept / replaced, .gitignore, and which migrations folder it picks.
import { describe, expect, it } from "vitest";
import { chooseMigrationsDir } from "../../../src/init/locate.ts";
import { nextSteps } from "../../../src/init/next-steps.ts";
import { planScripts } from "../../../src/init/package-scripts.ts";
import { planFile, planGitignore, withScripts } from "../../../src/init/plan.ts";
import { shellScripts } from "../../../src/init/templates.ts";

describe("planScripts", () => {
  it("adds the n8n: scripts and puts migrate-up in front of the existing start scripts, once", () => {
    const first = planScripts({ "dev:api": "cd apps/api && npm run start:dev", "prod:restart": "pm2 restart api", build: "tsc" }, false);
    expect(first.scripts).toMatchObject({
      "n8n:migrate-up": "n8n-sync migrate-up",
      "n8n:sync-from-prod": "n8n-sync export-prod --git-add",
      "dev:api": "npm run n8n:migrate-up && cd apps/api && npm run start:dev",
      "prod:restart": "npm run n8n:migrate-up -- --env production && pm2 restart api",
      build: "tsc",
    });
    expect(first.scripts["prod:start"]).toBeUndefined();
    const again = planScripts(first.scripts, false);
    expect(again).toEqual({ scripts: first.scripts, changed: [], kept: [], missingStartScripts: ["prod:start"] });
  });

  it("adds n8n:rollback and n8n:repair, which the docs tell a team to run", () => {
    expect(planScripts({}, false).scripts).toMatchObject({ "n8n:rollback": "n8n-sync rollback", "n8n:repair": "n8n-sync repair" });
  });

  it("lists the start scripts it found nothing to hook in, and the next steps say which to hook and how", () => {
    const plan = planScripts({ start: "node server.js" }, false);
    expect(plan.missingStartScripts).toEqual(["dev:api", "prod:start", "prod:restart"]);
    const steps = nextSteps({ missingStartScripts: plan.missingStartScripts }).join("\n");
    expect(steps).toContain("no dev:api / prod:start / prod:restart script in package.json");
    expect(steps).toContain('"prod:start": "npm run n8n:migrate-up -- --env production && <your start command>"');
    expect(nextSteps({ missingStartScripts: [] }).join("\n")).not.toContain("script in package.json");
  });

  it("the next steps name every remaining step: the secrets, the token, the Actions setting, both production roles", () => {
    const steps = nextSteps({ missingStartScripts: [] }).join("\n");
    for (const words of [
      "N8N_PROD_DATABASE_URL",
      "N8N_SYNC_APP_ID",
      "N8N_SYNC_APP_PRIVATE_KEY",
      "N8N_SYNC_PR_TOKEN",
      "Allow GitHub Actions to create and approve pull requests",
      "n8n_sync_reader",
      "DATABASE_READER_URL",
      "can write n8n's tables for migrate-up",
    ]) expect(steps).toContain(words);
  });

  it("keeps a script of the same name that differs, and says so; --force replaces it", () => {
    const kept = planScripts({ "n8n:status": "my-own-status" }, false);
    expect(kept.scripts["n8n:status"]).toBe("my-own-status");
    expect(kept.kept).toEqual(['script n8n:status kept as "my-own-status" (init would write "n8n-sync status"; --force replaces it)']);
    expect(planScripts({ "n8n:status": "my-own-status" }, true).scripts["n8n:status"]).toBe("n8n-sync status");
  });

  it("leaves a start script that already runs migrate-up its own way", () => {
    const plan = planScripts({ "dev:api": "npm run n8n:migrate-up -- --dry-run; node api" }, false);
    expect(plan.scripts["dev:api"]).toBe("npm run n8n:migrate-up -- --dry-run; node api");
  });
});

describe("planFile and planGitignore", () => {
  const file = { path: ".env.development", content: "MIGRATIONS_DIR=x\n" };
  it("creates what is missing, leaves what matches, keeps what differs unless --force", () => {
    expect(planFile(file, undefined, false).kind).toBe("create");
    expect(planFile(file, "MIGRATIONS_DIR=x\n", false).kind).toBe("unchanged");
    expect(planFile(file, "DATABASE_URL=mine\n", false)).toMatchObject({ kind: "kept", detail: ["differs from what init writes; --force replaces it"] });
    expect(planFile(file, "DATABASE_URL=mine\n", true).kind).toBe("update");
  });

  it("adds .env*.local to .gitignore once, keeping what is there", () => {
    expect(planGitignore(undefined)).toMatchObject({ kind: "create", content: ".env*.local\n" });
    expect(planGitignore("node_modules")).toMatchObject({ kind: "update", content: "node_modules\n.env*.local\n" });
    expect(planGitignore("node_modules\n.env*.local\n").kind).toBe("unchanged");
  });

  it("rewrites package.json with its own indentation", () => {
    expect(withScripts('{\n    "name": "a"\n}\n', { x: "y" })).toBe('{\n    "name": "a",\n    "scripts": {\n        "x": "y"\n    }\n}\n');
  });
});

describe("chooseMigrationsDir", () => {
  it("takes --migrations-dir, else the one candidate, else says to pass --migrations-dir (exit 2)", () => {
    expect(chooseMigrationsDir(["apps/api/supabase/migrations"], undefined)).toBe("apps/api/supabase/migrations");
    expect(chooseMigrationsDir(["a/supabase/migrations", "b/supabase/migrations"], "db/migrations")).toBe("db/migrations");
    expect(() => chooseMigrationsDir([], undefined)).toThrow(/found no supabase\/migrations.*pass --migrations-dir <dir>/);
    expect(() => chooseMigrationsDir(["a/supabase/migrations", "b/supabase/migrations"], undefined)).toThrow(
      "found 2 migrations folders (a/supabase/migrations, b/supabase/migrations): pass --migrations-dir <dir> to pick one",
    );
    const thrown = (() => {
      try {
        chooseMigrationsDir([], undefined);
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toMatchObject({ exitCode: 2 });
  });
});

describe("shellScripts", () => {
  it("writes executable entry points that cd to the repository root and run n8n-sync", () => {
    const scripts = shellScripts("apps/n8n/scripts");
    expect(scripts.map((s) => s.path)).toEqual(["apps/n8n/scripts/create-migration.sh", "apps/n8n/scripts/create-history-migration.sh", "apps/n8n/scripts/migrate-up.sh"]);
    expect(scripts.every((s) => s.mode === 0o755)).toBe(true);
    expect(scripts[0]!.content).toContain('cd "$(dirname "${BASH_SOURCE[0]}")/../../.."\nexec npx --no-install n8n-sync export "$@"\n');
  });
});
