// .github/workflows/n8n-migrations-check.yml shows reviewers what workflow migrations change: its diff
// step, run here as GitHub runs it (bash, the real npm script and flags, a real git history with an
// origin/<base> ref), writes the Markdown to $GITHUB_STEP_SUMMARY and a comment body that fits GitHub's
// limit; its comment step edits the comment that carries the hidden marker, else creates one, and never
// fails the job when the token cannot write. GitHub's API is the only part played by a stand-in (`gh` on
// PATH, logging its calls): it cannot be reached from here.
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { makeWorkflow, renderCase } from "../../integration/workflows/helpers.ts";
import { parseMermaid } from "../../support/mermaid.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const exec = promisify(execFile);
const FILE = ".github/workflows/n8n-migrations-check.yml";
const source = readFileSync(path.join(ROOT, FILE), "utf8");
const workflow = parse(source) as {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Array<{ name?: string; run?: string; if?: string; env?: Record<string, string> }> }>;
};
const steps = workflow.jobs.validate!.steps;
const diffStep = steps.find((s) => s.name === "Workflow changes (job summary)")!;
const commentStep = steps.find((s) => s.name === "Workflow changes (pull-request comment)")!;
const MARKER = "<!-- n8n-sync diff -->";

describe(FILE, () => {
  it("runs on pull_request only, without secrets; comments only from the repository itself (not forks)", () => {
    expect(Object.keys(workflow.on)).toEqual(["pull_request"]);
    expect(source).not.toContain("pull_request_target");
    expect(source).not.toMatch(/secrets\./);
    expect(workflow.permissions).toEqual({ contents: "read", "pull-requests": "write" });
    expect(commentStep.if).toBe("${{ !cancelled() && github.event.pull_request.head.repo.full_name == github.repository }}");
    expect(commentStep.env?.GH_TOKEN).toBe("${{ github.token }}");
    expect(diffStep.if).toBe("${{ !cancelled() }}");
    expect(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts["n8n:diff"]).toBe("tsx scripts/diff.ts");
  });

  describe("the diff step, run for real", () => {
    const temp = mkdtempSync(path.join(tmpdir(), "n8n-check-"));
    const repo = path.join(temp, "repo");
    const migrations = path.join(repo, "supabase", "migrations");
    const summary = path.join(temp, "step-summary.md");
    const bigs = [1, 2, 3, 4].map((k) => makeWorkflow({
      id: `wfBig0000000000${k}`,
      name: `Big flow ${k}`,
      nodes: Array.from({ length: 400 }, (_, i) => ({
        id: `b${i}`,
        name: `Step ${i} ${"padding ".repeat(8)}`,
        type: "n8n-nodes-base.code",
        typeVersion: 2,
        position: [i * 200, 0],
        parameters: { jsCode: `return [{ json: { step: ${i} } }];\n// ${"x".repeat(120)}` },
      })),
    }));

    beforeAll(async () => {
      mkdirSync(migrations, { recursive: true });
      const git = (...args: string[]) => execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: repo, stdio: "pipe" });
      git("init", "-q", "-b", "main");
      for (const [k, big] of bigs.entries()) writeFileSync(path.join(migrations, `2025010100000${k}_big.sql`), renderCase(big, `2025010100000${k}_big.sql`));
      git("add", ".");
      git("commit", "-qm", "base");
      git("update-ref", "refs/remotes/origin/main", "main");
      git("checkout", "-qb", "feature");
      for (const [k, big] of bigs.entries()) {
        const edited = { ...big, nodes: big.nodes.map((n: any, i) => ({ ...n, parameters: { jsCode: `${n.parameters.jsCode}\n// edited ${i}` } })) };
        writeFileSync(path.join(migrations, `2025010200000${k}_big.sql`), renderCase(edited, `2025010200000${k}_big.sql`));
      }
      const small = makeWorkflow({ id: "wfSmall000000001", name: 'Small "one" --> `x`' });
      writeFileSync(path.join(migrations, "20250102000009_small.sql"), renderCase(small, "20250102000009_small.sql"));
      git("add", ".");
      git("commit", "-qm", "feature");
      writeFileSync(summary, "");
      await exec("bash", ["-e", "-o", "pipefail", "-c", diffStep.run!], {
        cwd: ROOT,
        env: { ...process.env, BASE_REF: "main", RUNNER_TEMP: temp, GITHUB_STEP_SUMMARY: summary, MIGRATIONS_DIR: migrations, NO_COLOR: "1" },
        maxBuffer: 64 * 1024 * 1024,
      });
    }, 120_000);

    it("writes the Markdown of every changed workflow migration to the job summary, diagrams that Mermaid parses", async () => {
      const text = readFileSync(summary, "utf8");
      expect(text.startsWith("## n8n workflow changes\n\n5 workflow migrations (changed against origin/main).")).toBe(true);
      expect(text).toContain("### Big flow 1 (`wfBig00000000001`)");
      expect(text).toContain("supabase/migrations/20250102000001_big.sql` compared with `20250101000001_big.sql`");
      expect(text).toContain("### Small \"one\" --\\> \\`x\\` (`wfSmall000000001`)");
      const diagrams = [...text.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);
      expect(diagrams).toHaveLength(5);
      for (const diagram of diagrams) await parseMermaid(diagram);
      expect(text.length).toBeGreaterThan(65_536);
    });

    it("the comment body starts with the marker, fits 65,536 characters and says what was cut", () => {
      const body = readFileSync(path.join(temp, "n8n-diff-comment.md"), "utf8");
      expect(body.startsWith(`${MARKER}\n## n8n workflow changes`)).toBe(true);
      expect(body.length).toBeLessThanOrEqual(65_536);
      expect(body).toMatch(/\*\*Cut to fit 65,000 characters:\*\* left out the diagrams of Big flow \d/);
    });
  });

  describe("the comment step", () => {
    /** Runs the step with a `gh` that logs its arguments; `comments` is what listing the PR's comments prints. */
    async function runCommentStep(options: { body: string; existingId?: string; failWrites?: boolean }) {
      const temp = mkdtempSync(path.join(tmpdir(), "n8n-comment-"));
      const bin = path.join(temp, "bin");
      mkdirSync(bin);
      const log = path.join(temp, "gh.log");
      writeFileSync(
        path.join(bin, "gh"),
        `#!/usr/bin/env bash\necho "$*" >> "${log}"\ncase "$*" in\n  *--jq*) ${options.existingId ? `echo ${options.existingId}` : "true"} ;;\n  *) ${options.failWrites ? 'echo "HTTP 403: Resource not accessible by integration" >&2; exit 1' : "true"} ;;\nesac\n`,
      );
      chmodSync(path.join(bin, "gh"), 0o755);
      writeFileSync(path.join(temp, "n8n-diff-comment.md"), options.body);
      const run = await exec("bash", ["-e", "-o", "pipefail", "-c", commentStep.run!], {
        env: { PATH: `${bin}:${process.env.PATH}`, RUNNER_TEMP: temp, REPO: "acme/flows", PR: "42", GH_TOKEN: "t" },
      });
      const calls = (() => {
        try {
          return readFileSync(log, "utf8").trim().split("\n");
        } catch {
          return [];
        }
      })();
      return { calls, stdout: run.stdout, body: path.join(temp, "n8n-diff-comment.md") };
    }
    const withWorkflow = `${MARKER}\n## n8n workflow changes\n\n### Orders (\`wf1\`)\n`;

    it("edits the comment that carries the marker (no second comment)", async () => {
      const { calls, body } = await runCommentStep({ body: withWorkflow, existingId: "777" });
      expect(calls[0]).toBe(`api --paginate repos/acme/flows/issues/42/comments --jq .[] | select(.body | startswith("${MARKER}")) | .id`);
      expect(calls.slice(1)).toEqual([`api --method PATCH repos/acme/flows/issues/comments/777 -F body=@${body}`]);
    });

    it("creates the comment when there is none, and none for a pull request without workflow changes", async () => {
      const created = await runCommentStep({ body: withWorkflow });
      expect(created.calls.slice(1)).toEqual([`api --method POST repos/acme/flows/issues/42/comments -F body=@${created.body}`]);
      const quiet = await runCommentStep({ body: `${MARKER}\n## n8n workflow changes\n\nNo workflow migration to compare.\n` });
      expect(quiet.calls).toHaveLength(1);
    });

    it("a token that cannot write leaves a notice, not a failed job", async () => {
      const { stdout } = await runCommentStep({ body: withWorkflow, failWrites: true });
      expect(stdout).toContain("::notice::could not comment the n8n workflow changes (read-only token): see the job summary");
    });

    it("every shell step parses", async () => {
      for (const step of steps) if (step.run) await exec("bash", ["-n", "-c", step.run]);
    });
  });
});
