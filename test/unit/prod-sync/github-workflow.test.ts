// .github/workflows/n8n-prod-sync.yml calls the real commands: the npm scripts exist in package.json and
// point at scripts that exist, every flag it passes is one export-prod accepts (its --help), the files it
// reads exist, and each shell step parses.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const exec = promisify(execFile);

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  id?: string;
  if?: string;
}

const workflow = parse(readFileSync(path.join(ROOT, ".github/workflows/n8n-prod-sync.yml"), "utf8")) as {
  on: { schedule?: Array<{ cron: string }>; workflow_dispatch?: unknown };
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[]; env?: Record<string, string> }>;
};
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const runs = steps.flatMap((step) => (step.run ? [step.run] : []));

describe(".github/workflows/n8n-prod-sync.yml", () => {
  it("runs on a schedule and on manual dispatch, with the rights to push a branch and open a PR", () => {
    expect(workflow.on.schedule?.[0]?.cron).toMatch(/^(\S+\s+){4}\S+$/);
    expect(workflow.on).toHaveProperty("workflow_dispatch");
    expect(workflow.permissions).toEqual({ contents: "write", "pull-requests": "write" });
  });

  it("checks out, sets up a supported Node (22, not 20 past its end of life) and installs with npm ci", () => {
    expect(steps[0]?.uses).toMatch(/^actions\/checkout@v\d+$/);
    const node = steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(node?.with?.["node-version"]).toBe(22);
    expect(runs).toContain("npm ci");
  });

  it("every npm script it runs exists and runs a script file that exists", () => {
    const used = runs.flatMap((run) => [...run.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!));
    expect(used).toContain("n8n:create-history");
    for (const name of used) {
      const command = pkg.scripts[name];
      expect(command, `package.json script ${name}`).toBeDefined();
      for (const [, file] of command!.matchAll(/tsx (scripts\/[\w./-]+\.ts)/g)) expect(existsSync(path.join(ROOT, file!)), file).toBe(true);
      // A bundle (npm ci builds dist/) must come from a script file of the build.
      for (const [, entry] of command!.matchAll(/node dist\/([\w-]+)\.mjs/g)) {
        expect(pkg.scripts.build, entry).toContain(`scripts/${entry}.ts`);
        expect(existsSync(path.join(ROOT, "scripts", `${entry}.ts`)), entry).toBe(true);
      }
    }
    expect(pkg.scripts["n8n:create-history"]).toBe("node dist/export-prod.mjs");
  });

  it("passes only flags that export-prod accepts", async () => {
    const { stdout: help } = await exec(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(ROOT, "scripts/export-prod.ts"), "--help"]);
    const exportRun = runs.find((run) => run.includes("npm run n8n:create-history"))!;
    const flags = [...exportRun.matchAll(/\s(--[a-z][\w-]*)/g)].map((m) => m[1]!);
    const devFlag = [...runs.join("\n").matchAll(/(--dev-env)=/g)].map((m) => m[1]!);
    expect(flags).toEqual(expect.arrayContaining(["--env", "--summary"]));
    for (const flag of [...flags, ...devFlag]) expect(help, flag).toContain(`${flag} `);
  });

  it("takes the production URL from repository secrets, never from the repository", () => {
    const envs = steps.flatMap((s) => Object.values(s.env ?? {}));
    expect(envs).toContain("${{ secrets.N8N_PROD_DATABASE_URL }}");
    expect(runs.join("\n")).toContain("> .env.production.local");
    expect(readFileSync(path.join(ROOT, ".gitignore"), "utf8")).toMatch(/^\.env\*\.local$/m);
  });

  it("opens a PR whose body is the summary followed by the review checklist template", () => {
    const template = ".github/PULL_REQUEST_TEMPLATE/prod_sync.md";
    expect(existsSync(path.join(ROOT, template))).toBe(true);
    const body = runs.find((run) => run.includes(template))!;
    expect(body).toContain('summary="$RUNNER_TEMP/prod-sync-summary.md"');
    expect(body).toContain(`cat ${template} >> "$RUNNER_TEMP/pr-body.md"`);
    const pr = steps.find((s) => s.uses?.startsWith("peter-evans/create-pull-request@"))!;
    expect(pr.with?.["body-path"]).toBe("${{ runner.temp }}/pr-body.md");
    expect(pr.with?.["add-paths"]).toBe("${{ env.MIGRATIONS_DIR }}");
    expect(runs.find((run) => run.includes("n8n:create-history"))).toContain('--summary "$RUNNER_TEMP/prod-sync-summary.md"');
  });

  it("opens the PR with a token that triggers its checks: a GitHub App's, else a fine-grained token, else GITHUB_TOKEN", () => {
    const app = steps.find((s) => s.uses?.startsWith("actions/create-github-app-token@"))!;
    expect(app.id).toBe("app-token");
    expect(app.if).toContain("vars.N8N_SYNC_APP_ID");
    expect(app.with).toEqual({ "app-id": "${{ vars.N8N_SYNC_APP_ID }}", "private-key": "${{ secrets.N8N_SYNC_APP_PRIVATE_KEY }}" });
    const pr = steps.find((s) => s.uses?.startsWith("peter-evans/create-pull-request@"))!;
    expect(pr.with?.token).toBe("${{ steps.app-token.outputs.token || secrets.N8N_SYNC_PR_TOKEN || github.token }}");
    expect(steps.indexOf(app)).toBeLessThan(steps.indexOf(pr));
    // the header says why and what to set
    const header = readFileSync(path.join(ROOT, ".github/workflows/n8n-prod-sync.yml"), "utf8").split(/\n(?!#)/)[0]!;
    for (const words of ["GITHUB_TOKEN", "N8N_SYNC_APP_ID", "N8N_SYNC_APP_PRIVATE_KEY", "N8N_SYNC_PR_TOKEN", "Allow GitHub Actions to create"]) expect(header).toContain(words);
  });

  it("warns in the PR body when it fell back to GITHUB_TOKEN, and only then", async () => {
    const bodyStep = steps.find((s) => s.run?.includes("pr-body.md") && s.run.includes("PULL_REQUEST_TEMPLATE"))!;
    expect(bodyStep.env?.TRIGGERS_CHECKS).toBe("${{ (steps.app-token.outputs.token || secrets.N8N_SYNC_PR_TOKEN) && 'yes' || 'no' }}");
    const temp = await mkdtemp(path.join(tmpdir(), "pr-body-"));
    await writeFile(path.join(temp, "prod-sync-summary.md"), "## n8n production sync\n");
    for (const triggers of ["yes", "no"]) {
      await exec("bash", ["-e", "-c", bodyStep.run!], { cwd: ROOT, env: { ...process.env, RUNNER_TEMP: temp, TRIGGERS_CHECKS: triggers } });
      const text = await readFile(path.join(temp, "pr-body.md"), "utf8");
      expect(text.includes("opened with the default GITHUB_TOKEN, so GitHub started no checks")).toBe(triggers === "no");
    }
  });

  it("fails the job after opening the PR when secrets were found (exit 5)", () => {
    const last = steps.at(-1)!;
    expect(last.if).toBe("steps.export.outputs.exit_code == '5'");
    expect(last.run).toContain("exit 5");
  });

  it("the PR body step builds summary + checklist, cut below GitHub's 65536-character limit", async () => {
    const body = runs.find((run) => run.includes("pr-body.md") && run.includes("PULL_REQUEST_TEMPLATE"))!;
    const temp = await mkdtemp(path.join(tmpdir(), "pr-body-"));
    for (const size of [100, 200_000]) {
      await writeFile(path.join(temp, "prod-sync-summary.md"), `## n8n production sync\n${"x".repeat(size)}\n`);
      await exec("bash", ["-e", "-c", body], { cwd: ROOT, env: { ...process.env, RUNNER_TEMP: temp } });
      const text = await readFile(path.join(temp, "pr-body.md"), "utf8");
      expect(text.startsWith("## n8n production sync")).toBe(true);
      expect(text).toContain("## Review checklist");
      expect(text.length).toBeLessThan(65536);
      expect(text.includes("_Summary truncated")).toBe(size > 60000);
    }
  });

  it("every shell step parses", async () => {
    for (const run of runs) await exec("bash", ["-n", "-c", run]);
  });
});

describe(".github/workflows/n8n-migrations-check.yml", () => {
  it("sets up the same supported Node as the prod sync", () => {
    const check = parse(readFileSync(path.join(ROOT, ".github/workflows/n8n-migrations-check.yml"), "utf8")) as { jobs: Record<string, { steps: Step[] }> };
    const node = Object.values(check.jobs).flatMap((job) => job.steps).find((s) => s.uses?.startsWith("actions/setup-node@"));
    expect(node?.with?.["node-version"]).toBe(22);
  });
});

describe(".github/PULL_REQUEST_TEMPLATE/prod_sync.md", () => {
  it("is a review checklist on secrets, credentials and conflicts", () => {
    const text = readFileSync(path.join(ROOT, ".github/PULL_REQUEST_TEMPLATE/prod_sync.md"), "utf8");
    for (const section of ["### Secrets", "### Credentials", "### Conflicts"]) expect(text).toContain(section);
    expect(text.match(/^- \[ \] /gm)?.length).toBeGreaterThanOrEqual(6);
  });
});
