// The .env templates init writes, read as a team reads them: the production one separates the role
// migrate-up writes with from the read-only role export-prod reads with, its TLS form makes node-postgres
// print no warning, and what it says about poolers agrees with docs/operations.md.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const production = readFileSync(path.join(ROOT, ".env.production"), "utf8");

/** What node-postgres prints on stderr when it parses this connection string (its SSL warning goes there). */
function pgWarnings(url: string): string {
  const run = spawnSync(process.execPath, ["-e", `require("pg-connection-string").parse(process.argv[1])`, url], { cwd: ROOT, encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return run.stderr;
}

/** The template's active (uncommented) assignments. */
function parse(text: string): Record<string, string> {
  return Object.fromEntries([...text.matchAll(/^([A-Z_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}

describe(".env.production", () => {
  it("migrate-up's DATABASE_URL is not the read-only role; the reader URL is its own variable", () => {
    const values = parse(production);
    expect(values.DATABASE_URL).toBeDefined();
    expect(values.DATABASE_URL).not.toContain("n8n_sync_reader");
    expect(production).toMatch(/^# DATABASE_READER_URL=postgresql:\/\/n8n_sync_reader:/m);
  });

  it("uses an sslmode node-postgres does not warn about", () => {
    const url = parse(production).DATABASE_URL!;
    expect(url).toContain("sslmode=");
    expect(pgWarnings(url)).toBe("");
    // the form the template used before prints pg's multi-line SECURITY WARNING: the check sees it
    expect(pgWarnings(url.replace(/sslmode=[\w-]+/, "sslmode=require"))).toContain("SECURITY WARNING");
  });

  it("agrees with docs/operations.md that the transaction pooler works", () => {
    const operations = readFileSync(path.join(ROOT, "docs/operations.md"), "utf8");
    expect(operations).toMatch(/transaction pooler\*\* \(port \*\*6543\*\*\) works too/);
    expect(production).not.toMatch(/not the transaction pooler/);
    expect(production).toMatch(/transaction-pooler connections all work/);
  });
});
