// Every command: --help exits 0 with its usage; an unknown flag is a usage error (exit 2) with one
// helpful line; a missing required value too. No database is needed for any of this.
import { describe, expect, it } from "vitest";
import { newFolder, runScript } from "./helpers.ts";

const SCRIPTS = ["export", "export-prod", "migrate-up", "status", "validate", "rollback", "repair", "demo"] as const;
/** required options, so that the unknown flag is the only mistake */
const REQUIRED: Partial<Record<(typeof SCRIPTS)[number], string[]>> = {
  rollback: ["--workflow", "x", "--to", "previous"],
  repair: ["--status", "applied", "20250101000000"],
};

describe("command line conventions", () => {
  const folder = newFolder();

  it.each(SCRIPTS)("%s --help exits 0 with usage, options and --json", async (script) => {
    const run = await runScript(script, ["--help"], {}, folder.dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: \S+ \[options\]/);
    expect(run.stdout).toContain("--json");
    expect(run.stdout).toContain("-h, --help");
  });

  it.each(SCRIPTS)("%s --no-such-flag is a usage error: exit 2 and one line saying what to do", async (script) => {
    const run = await runScript(script, [...(REQUIRED[script] ?? []), "--no-such-flag"], {}, folder.dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe("error: unknown option '--no-such-flag'\n(run with --help for usage)\n");
    expect(run.stdout).toBe("");
  });

  it.each([
    ["rollback", ["--to", "previous"], "error: required option '--workflow <name|id>' not specified"],
    ["repair", ["20250101000000"], "error: required option '--status <status>' not specified"],
    ["migrate-up", ["--lock-wait"], "error: option '--lock-wait <seconds>' argument missing"],
    ["export-prod", ["--days"], "error: option '--days <n>' argument missing"],
  ] as const)("%s %j: exit 2, %s", async (script, args, message) => {
    const run = await runScript(script, [...args], {}, folder.dir);
    expect(run.code).toBe(2);
    expect(run.stderr.split("\n")[0]).toBe(message);
  });

  it("commands that need a database say which variable to set (exit 1)", async () => {
    const run = await runScript("status", ["--env", "staging"], {}, folder.dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: DATABASE_URL is not set (env "staging"; read no .env files in ${folder.dir} and the environment): add it to .env.staging.local or export it.\n`);
  });
});
