// The project's own CI on GitHub runs exactly .ci/run on pushes and pull requests, once with a
// PostgreSQL service on the port .ci/run looks at and once without (the harness's own server).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { findPgBouncer } from "../support/pgbouncer.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");

interface Job {
  services?: Record<string, { image: string; ports?: string[]; env?: Record<string, string> }>;
  steps: Array<{ uses?: string; run?: string }>;
}

const workflow = parse(readFileSync(path.join(ROOT, ".github/workflows/ci.yml"), "utf8")) as { on: Record<string, unknown>; jobs: Record<string, Job> };
const ciRun = readFileSync(path.join(ROOT, ".ci/run"), "utf8");

describe(".github/workflows/ci.yml", () => {
  it("runs on every push and pull request", () => {
    expect(Object.keys(workflow.on).sort()).toEqual(["pull_request", "push"]);
  });

  it("has a job with a PostgreSQL service where .ci/run looks for one, and a job without", () => {
    const jobs = Object.values(workflow.jobs);
    const withPostgres = jobs.filter((job) => Object.values(job.services ?? {}).some((s) => s.image.startsWith("postgres:")));
    expect(withPostgres).toHaveLength(1);
    const service = Object.values(withPostgres[0]!.services!)[0]!;
    expect(service.ports).toContain("5432:5432");
    expect(service.env?.POSTGRES_HOST_AUTH_METHOD).toBe("trust");
    expect(ciRun).toContain('TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:5432/postgres"');
    expect(jobs.filter((job) => !job.services)).toHaveLength(1);
  });

  it("each job checks out, sets up Node 20 and runs exactly bash .ci/run", () => {
    for (const job of Object.values(workflow.jobs)) {
      expect(job.steps[0]?.uses).toMatch(/^actions\/checkout@v\d+$/);
      expect(job.steps.some((step) => step.uses?.startsWith("actions/setup-node@"))).toBe(true);
      expect(job.steps.flatMap((step) => (step.run ? [step.run] : []))).toEqual(["bash .ci/run"]);
    }
  });
});

// The pooler tests are the only ones that catch a session-level lock or a file's session SETs left on a
// pooled connection: on a machine without PgBouncer they skip, in CI (GitHub sets CI=true) they fail.
describe("PgBouncer in CI", () => {
  const missing = ["/nonexistent/pgbouncer"];

  it("a missing PgBouncer fails the pooler tests when CI=true, and skips them elsewhere", () => {
    expect(() => findPgBouncer(missing, { CI: "true" })).toThrow("pgbouncer is not installed: .ci/run installs it (apt-get install pgbouncer)");
    expect(findPgBouncer(missing, {})).toBeUndefined();
  });

  it(".ci/run installs it before the tests", () => {
    const install = ciRun.search(/apt-get install[^\n]* pgbouncer/);
    expect(install).toBeGreaterThan(-1);
    expect(install).toBeLessThan(ciRun.indexOf("npm test"));
  });
});
