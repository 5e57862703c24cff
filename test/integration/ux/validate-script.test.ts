// scripts/validate.ts as CI runs it: by default only the migration files changed against the main
// branch (committed, uncommitted and untracked), every file without git; and the pull-request workflow
// that calls it.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { newFolder, runScript } from "./helpers.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const BAD = "select 'unclosed;\n";

describe("scripts/validate.ts", () => {
  it("checks the files changed against main, and every file when there is no git", async () => {
    const folder = newFolder();
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: folder.dir, stdio: "pipe" });
    folder.write("20250101000000_old_bad.sql", BAD);
    folder.write("20250102000000_old_good.sql", "select 1;\n");
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-qm", "base");
    git("checkout", "-qb", "feature");
    folder.write("20250103000000_new_bad.sql", BAD);
    git("add", ".");
    git("commit", "-qm", "feature");
    folder.write("20250104000000_untracked.sql", "select 4;\n");
    writeFileSync(path.join(folder.migrationsDir, "20250102000000_old_good.sql"), "select 2;\n");

    const env = { MIGRATIONS_DIR: "supabase/migrations" };
    const run = await runScript("validate", [], env, folder.dir);
    expect(run.code).toBe(1);
    expect(run.stdout.trim().split("\n")).toEqual([
      'supabase/migrations/20250103000000_new_bad.sql:1: statement 1 does not end with ";": an unclosed quote, dollar quote or comment may swallow the rest of the file',
    ]);
    expect(run.stderr.trim()).toBe(
      // the docs the package ships, as a path that opens from where it ran (node_modules/n8n-sync/docs/... in a team's repo)
      `error: 1 problem in 3 migration files (changed against main): fix them (${path.join(ROOT, "docs", "security.md")} has the review checklist), then rerun`,
    );

    const annotated = await runScript("validate", [], { ...env, GITHUB_ACTIONS: "true" }, folder.dir);
    expect(annotated.stdout.trim().split("\n")[1]).toBe(
      '::error file=supabase/migrations/20250103000000_new_bad.sql,line=1::statement 1 does not end with ";": an unclosed quote, dollar quote or comment may swallow the rest of the file',
    );

    const json = await runScript("validate", ["--json"], env, folder.dir);
    expect(JSON.parse(json.stdout)).toMatchObject({ scope: "changed against main", checked: 3 });

    const all = await runScript("validate", ["--all"], env, folder.dir);
    expect(all.stdout.match(/does not end with/g)).toHaveLength(2);

    const given = await runScript("validate", ["supabase/migrations/20250102000000_old_good.sql"], env, folder.dir);
    expect(given).toMatchObject({ code: 0, stdout: "validated 1 migration file (given): no problems\n" });

    const noGit = newFolder();
    noGit.write("20250101000000_bad.sql", BAD);
    const fallback = await runScript("validate", [], { ...env, GIT_CEILING_DIRECTORIES: path.dirname(noGit.dir) }, noGit.dir);
    expect(fallback.code).toBe(1);
    expect(fallback.stderr).toContain("git or the main branch is not available: checking every file in");
    expect(fallback.stdout).toContain("supabase/migrations/20250101000000_bad.sql:1: statement 1");
  });

  it("runs in a GitHub Actions workflow on pull requests that touch the migrations folder or the values file", () => {
    const workflow = parse(readFileSync(path.join(ROOT, ".github/workflows/n8n-migrations-check.yml"), "utf8"));
    expect(workflow.on.pull_request.paths).toEqual(["supabase/migrations/**", "supabase/n8n-values.json"]);
    const steps: Array<{ run?: string; uses?: string; with?: Record<string, unknown> }> = workflow.jobs.validate.steps;
    expect(steps.find((s) => s.uses?.startsWith("actions/checkout"))?.with?.["fetch-depth"]).toBe(0);
    const runs = steps.flatMap((s) => (s.run ? [s.run] : []));
    expect(runs).toContain("npm ci");
    expect(runs.find((r) => r.startsWith("npm run n8n:validate"))).toBe('npm run n8n:validate -- --base "origin/$BASE_REF"');
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
    expect(pkg.scripts["n8n:validate"]).toBe("tsx scripts/validate.ts");
  });
});
