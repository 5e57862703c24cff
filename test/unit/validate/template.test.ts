// validate proves a workflow migration's code is n8n-sync's: the five edits a reviewer could miss are
// each found (file, line, what differs), and every file an n8n-sync release or this build writes passes.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ExportedWorkflow } from "../../../src/n8n/workflow.ts";
import { formatProblem } from "../../../src/validate/problem.ts";
import { RELEASED_TEMPLATES } from "../../../src/validate/released-templates.ts";
import { templateProblems } from "../../../src/validate/template-check.ts";
import { skeletonDigest, templateSkeleton } from "../../../src/validate/template-skeleton.ts";
import { validateFiles } from "../../../src/validate/validate.ts";
import { renderWorkflowMigration, type RenderOptions } from "../../../src/workflows/render.ts";

const FIXTURES = path.join(import.meta.dirname, "../../fixtures/templates");
const FILE = "20251003120000_agent_webhook_handler.sql";

function workflow(partial: Partial<ExportedWorkflow> = {}): ExportedWorkflow {
  return {
    id: "wfTemplate000001",
    name: "agent_webhook_handler",
    versionId: "11111111-2222-4333-8444-555555555555",
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-10-03T12:00:00.000Z",
    active: true,
    isArchived: false,
    description: null,
    nodes: [{ id: "n1", name: "Webhook", type: "n8n-nodes-base.webhook", typeVersion: 2, position: [0, 0], parameters: { path: "agent" } }],
    connections: {},
    settings: { executionOrder: "v1" },
    meta: null,
    tags: [],
    credentials: [],
    ...partial,
  };
}

const render = (partial: Partial<ExportedWorkflow> = {}, options: Partial<RenderOptions> = {}) =>
  renderWorkflowMigration(workflow(partial), { migration: FILE, source: "dev", n8n: "2.x (schema public)", generatedBy: "n8n-sync test", ...options });

async function validate(sql: string): Promise<string[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-template-"));
  writeFileSync(path.join(dir, FILE), sql);
  const result = await validateFiles({ files: [path.join(dir, FILE)], allowlist: { allow: [] }, cwd: dir });
  return result.problems.map(formatProblem);
}

const lineOf = (sql: string, text: string) => sql.slice(0, sql.indexOf(text)).split("\n").length;

describe("validate: a workflow migration's code is exactly n8n-sync's", () => {
  const sql = render();

  it("finds a statement added to the DO body", async () => {
    const edited = sql.replace("\nBEGIN\n", "\nBEGIN\n  EXECUTE 'DROP TABLE credentials_entity';\n");
    const problems = await validate(edited);
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^${FILE}:${lineOf(edited, "  EXECUTE")}: not code n8n-sync writes: 1 line added .*EXECUTE 'DROP TABLE credentials_entity'`)));
  });

  it("finds a statement added to the DECLARE block, between the constants", async () => {
    const edited = sql.replace("  in_archived ", "  in_evil             constant text        := 'x';\n  in_archived ");
    expect(await validate(edited)).toContainEqual(expect.stringMatching(new RegExp(`^${FILE}:${lineOf(edited, "in_evil")}: not code n8n-sync writes: .*in_evil`)));
  });

  it("finds code riding on a constant's line and a default that is an expression", async () => {
    const riding = sql.replace(/(in_tags +constant json +:= [^;]+;)/, "$1 PERFORM pg_sleep(1);");
    expect(templateProblems(riding)).toEqual([{ line: lineOf(riding, "PERFORM pg_sleep"), message: expect.stringMatching(/differs from .*PERFORM pg_sleep.*the template has "  in_tags +constant json +:= <value>;"/) }]);
    const expression = sql.replace(/in_source( +)constant text( +):= 'dev';/, "in_source$1constant text$2:= (SELECT 'dev');");
    expect(templateProblems(expression)).toHaveLength(1);
  });

  it("finds a statement after the END and a second DO statement", async () => {
    const after = `${sql}DROP TABLE workflow_entity;\n`;
    expect(await validate(after)).toContainEqual(expect.stringMatching(new RegExp(`^${FILE}:${lineOf(after, "DROP TABLE workflow_entity")}: not code n8n-sync writes: 1 line added .*DROP TABLE workflow_entity`)));
    const second = `${sql}DO $x$ BEGIN EXECUTE 'DROP TABLE workflow_entity'; END $x$;\n`;
    expect(templateProblems(second)).toEqual([{ line: lineOf(second, "DO $x$"), message: expect.stringContaining("DO $x$") }]);
  });

  it("finds a changed constant type", async () => {
    const edited = sql.replace(/in_archived( +)constant boolean/, "in_archived$1constant text   ");
    expect(await validate(edited)).toContainEqual(expect.stringMatching(new RegExp(`^${FILE}:${lineOf(edited, "in_archived")}: not code n8n-sync writes: differs .*constant text.*the template has ".*constant boolean`)));
  });

  it("finds a value that ends the DO statement early (the body's dollar tag inside the data)", () => {
    const edited = sql.replace('"agent_webhook_handler"$n8n$::json', '"x$n8n_sync$; DROP TABLE project; DO $n8n_sync$"$n8n$::json');
    expect(templateProblems(edited)).toEqual([{ line: lineOf(edited, "DROP TABLE project"), message: expect.stringContaining("not code n8n-sync writes") }]);
  });

  it("finds code hidden in the header behind a carriage return (PostgreSQL ends a -- comment there)", () => {
    const edited = sql.replace("-- Source: dev\n", "-- Source: dev\rDROP TABLE project;\n");
    expect(templateProblems(edited)).toContainEqual({ line: 3, message: expect.stringContaining("the header holds code") });
  });

  it("finds a template step changed (a WHERE removed)", () => {
    const edited = sql.replace("WHERE w.id = in_id FOR UPDATE;", "FOR UPDATE;");
    expect(templateProblems(edited)).toEqual([{ line: lineOf(edited, "    FROM workflow_entity w FOR UPDATE;"), message: expect.stringMatching(/differs from the current n8n-sync apply template.*WHERE w.id = in_id/) }]);
  });

  it("passes files this build renders, whatever their data (quotes, tags, pinData, no nodeGroups, CRLF checkout)", () => {
    const workflows: Array<Partial<ExportedWorkflow>> = [
      {},
      { name: "it's $n8n_sync$ and $n8n$ -- /* \\ \r\n", description: "'; DROP TABLE x; --", pinData: { Webhook: [{ json: { a: 1 } }] }, nodeGroups: [] },
      { isArchived: true, tags: ["b", "a"], meta: { x: "$n8n_sync_1$" }, ownerProject: { id: "p", name: "Team's", type: "team" }, folderPath: ["a", "b"] },
    ];
    for (const partial of workflows) {
      const text = render(partial);
      expect(templateProblems(text)).toEqual([]);
      expect(templateProblems(text.replace(/\n/g, "\r\n"))).toEqual([]);
    }
    // What a source may or may not know: its n8n version and community packages, its environment and values.
    const known = render(
      {
        nodes: [{ id: "n1", name: "Forecast", type: "n8n-nodes-weather.weather", typeVersion: 1, position: [0, 0], parameters: { url: "http://localhost:3000/x" } }],
        nodeTypes: { n8nVersion: "2.41.1", communityTypes: new Map([["n8n-nodes-weather.weather", { package: "n8n-nodes-weather", version: "1.4.0" }]]) },
      } as Partial<ExportedWorkflow>,
      { environment: { name: "development", values: [{ name: "API_BASE", match: "prefix", values: { development: "http://localhost:3000", production: "https://api.example.com" } }] } },
    );
    expect(known).toContain("in_environment      constant text        := $");
    expect(known).toMatch(/in_n8n_version +constant text +:= \$[a-z_0-9]*\$"2\.41\.1"/);
    expect(templateProblems(known)).toEqual([]);
  });

  it("passes every file a released n8n-sync wrote, and knows each release's template", async () => {
    const samples = readdirSync(FIXTURES).filter((f) => f.endsWith(".sql"));
    expect(samples).toContain("0.1.0.sql");
    for (const sample of samples) {
      const text = readFileSync(path.join(FIXTURES, sample), "utf8");
      const version = sample.replace(/\.sql$/, "");
      expect(RELEASED_TEMPLATES.find((t) => t.version === version)?.digest, sample).toBe(skeletonDigest(templateSkeleton(text).lines));
      expect(templateProblems(text), sample).toEqual([]);
      // A released file with one step edited is still caught, and the line named.
      const edited = text.replace("\nBEGIN\n", "\nBEGIN\n  PERFORM 1;\n");
      expect(templateProblems(edited), sample).toEqual([{ line: lineOf(edited, "  PERFORM 1;"), message: expect.stringContaining("PERFORM 1") }]);
    }
  });

  it("reports a marker that is not on the first line (the file would run as plain SQL, unchecked)", async () => {
    expect(await validate(`\n${sql}`)).toContainEqual(expect.stringMatching(new RegExp(`^${FILE}:2: "-- n8n-sync workflow migration" must be the file's first line`)));
  });
});
