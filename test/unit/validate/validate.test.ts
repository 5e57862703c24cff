// validate on rendered workflow migrations corrupted in specific ways: one test per check.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Allowlist } from "../../../src/secrets/allowlist.ts";
import { fingerprintSecret, scanWorkflowSecrets } from "../../../src/secrets/scan.ts";
import { formatProblem } from "../../../src/validate/problem.ts";
import { validateFiles } from "../../../src/validate/validate.ts";
import type { Source } from "../../../src/workflows/header.ts";
import { renderWorkflowMigration } from "../../../src/workflows/render.ts";
import type { ExportedWorkflow } from "../../../src/n8n/workflow.ts";

const GITHUB_TOKEN = `ghp_${"a1B2c3D4e5".repeat(4)}`;

function workflow(partial: Partial<ExportedWorkflow> = {}): ExportedWorkflow {
  return {
    id: "wfValidate000001",
    name: "agent_webhook_handler",
    versionId: "11111111-2222-4333-8444-555555555555",
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-10-03T12:00:00.000Z",
    active: true,
    isArchived: false,
    description: null,
    nodes: [
      { id: "n1", name: "Webhook", type: "n8n-nodes-base.webhook", typeVersion: 2, position: [0, 0], parameters: { path: "agent" } },
      {
        id: "n2",
        name: "Call API",
        type: "n8n-nodes-base.httpRequest",
        typeVersion: 4.2,
        position: [220, 0],
        parameters: { url: "https://api.example.com" },
        credentials: { httpHeaderAuth: { id: "cred1", name: "Agent API" } },
      },
    ],
    connections: { Webhook: { main: [[{ node: "Call API", type: "main", index: 0 }]] } },
    settings: { executionOrder: "v1" },
    meta: null,
    tags: [],
    credentials: [{ nodeIndex: 1, node: "Call API", type: "httpHeaderAuth", id: "cred1", name: "Agent API" }],
    ...partial,
  };
}

function render(file: string, options: { source?: Source; workflow?: Partial<ExportedWorkflow> } = {}): string {
  return renderWorkflowMigration(workflow(options.workflow), { migration: file, source: options.source ?? "dev", n8n: "2.x (schema public)", generatedBy: "n8n-sync test" });
}

/** Writes the files into a fresh migrations folder and validates the first one. */
async function problemsOf(files: Record<string, string>, allowlist: Allowlist = { allow: [] }): Promise<string[]> {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), "n8n-sync-validate-")), "migrations");
  mkdirSync(dir);
  for (const [file, sql] of Object.entries(files)) writeFileSync(path.join(dir, file), sql);
  const result = await validateFiles({ files: [path.join(dir, Object.keys(files)[0]!)], allowlist, cwd: dir });
  return result.problems.map(formatProblem);
}

const DEV = "20251003120000_agent_webhook_handler.sql";
const PROD = "20251003140000_prod_sync_agent_webhook_handler.sql";

describe("validate", () => {
  it("finds nothing wrong in files as export and export-prod write them", async () => {
    expect(await problemsOf({ [DEV]: render(DEV) })).toEqual([]);
    expect(await problemsOf({ [PROD]: render(PROD, { source: "prod" }) })).toEqual([]);
    expect(await problemsOf({ "20250101000000_app.sql": "create table t (x int);\n-- trailing comment\n" })).toEqual([]);
  });

  it("file name: near misses, impossible timestamps, duplicate versions", async () => {
    expect(await problemsOf({ "2025_agent.sql": "select 1;" })).toEqual(["2025_agent.sql:1: file name: the version must be 14 digits (YYYYMMDDHHMMSS), not 4"]);
    expect(await problemsOf({ "20251301000000_x.sql": "select 1;" })).toEqual(["20251301000000_x.sql:1: version 20251301000000 is not a UTC timestamp YYYYMMDDHHMMSS"]);
    expect(await problemsOf({ "20250101000000_a.sql": "select 1;", "20250101000000_b.sql": "select 2;" })).toEqual([
      "20250101000000_a.sql:1: version 20250101000000 is also used by 20250101000000_b.sql: give each file its own timestamp",
    ]);
  });

  it("header: a missing field", async () => {
    const sql = render(DEV).replace(/^-- Version ID: .*\n/m, "");
    expect(await problemsOf({ [DEV]: sql })).toEqual([`${DEV}:1: header has no "Version ID:" line`]);
  });

  it("header against body: workflow id, file renamed, prod_sync_ file from dev", async () => {
    const otherId = render(DEV).replace("-- Workflow ID: wfValidate000001", "-- Workflow ID: wfSomethingElse1");
    expect(await problemsOf({ [DEV]: otherId })).toEqual([`${DEV}:20: in_id "wfValidate000001" differs from header Workflow ID "wfSomethingElse1"`]);

    const renamed = "20251003130000_renamed.sql";
    expect(await problemsOf({ [renamed]: render(DEV) })).toEqual([
      `${renamed}:2: header Migration "${DEV}" differs from the file name (renamed? the file records the name it was rendered with)`,
    ]);

    expect(await problemsOf({ [PROD]: render(PROD, { source: "dev" }) })).toEqual([`${PROD}:3: a prod_sync_ file must have Source prod, not dev`]);
  });

  it("workflow JSON that does not parse", async () => {
    const sql = render(DEV).replace('"name": "Webhook"', '"name": "Webhook",,');
    expect(await problemsOf({ [DEV]: sql })).toEqual([
      `${DEV}:58: the workflow data (in_name, in_nodes, in_connections, in_settings) is missing or not valid JSON`,
    ]);
  });

  it("a connection to a node that does not exist", async () => {
    const sql = render(DEV, {
      workflow: { connections: { Webhook: { main: [[{ node: "Call API", type: "main", index: 0 }, { node: "Deleted node", type: "main", index: 0 }]] } } },
    });
    expect(await problemsOf({ [DEV]: sql })).toEqual([`${DEV}:45: connection "Webhook" -> "Deleted node" (main) points at no node`]);
  });

  it("a credential that holds more than {id, name}", async () => {
    const nodes = workflow().nodes.map((node, i) =>
      i === 1 ? { ...(node as object), credentials: { httpHeaderAuth: { id: "cred1", name: "Agent API", data: { value: "hunter2" } } } } : node,
    );
    expect(await problemsOf({ [DEV]: render(DEV, { workflow: { nodes } }) })).toEqual([
      `${DEV}:58: node "Call API" credential httpHeaderAuth holds data: a file may reference a credential only by {id, name}, never hold its data`,
    ]);
  });

  it("pinData in a prod file", async () => {
    const sql = render(PROD, { source: "prod", workflow: { pinData: { Webhook: [{ json: { email: "someone@example.com" } }] } } });
    expect(await problemsOf({ [PROD]: sql })).toEqual([
      `${PROD}:44: a prod file must not carry pinData (production's test data): export it again without it`,
    ]);
    // From dev, --include-pin-data is the developer's choice.
    expect(await problemsOf({ [DEV]: render(DEV, { workflow: { pinData: { Webhook: [] } } }) })).toEqual([]);
  });

  it("staticData written by a prod file", async () => {
    const sql = render(PROD, { source: "prod" }).replace(
      "  -- 11. Bookkeeping",
      `  UPDATE workflow_entity SET "staticData" = '{"lastId": 42}' WHERE id = in_id;\n  -- 11. Bookkeeping`,
    );
    const problems = await problemsOf({ [PROD]: sql });
    // Also code no n8n-sync writes (template.test.ts): the staticData check names what it does.
    expect(problems).toHaveLength(2);
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^${PROD}:\\d+: a prod file must not write staticData`)));
  });

  it("a secret in node parameters, unless allowlisted", async () => {
    const nodes = workflow().nodes.map((node, i) =>
      i === 1 ? { ...(node as object), parameters: { url: "https://api.github.com", headerValue: `token ${GITHUB_TOKEN}` } } : node,
    );
    const sql = render(DEV, { workflow: { nodes } });
    const problems = await problemsOf({ [DEV]: sql });
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${DEV}:58: possible secret \\(github-token\\) in node "Call API" at parameters.headerValue: ghp_… \\(44 chars\\)`))]);
    expect(problems.join("\n")).not.toContain(GITHUB_TOKEN);

    const [finding] = scanWorkflowSecrets({ id: "wfValidate000001", name: "agent_webhook_handler", nodes });
    const allow = { allow: [{ workflowId: finding!.workflowId, node: finding!.node, path: finding!.path, fingerprint: finding!.fingerprint }] };
    expect(await problemsOf({ [DEV]: sql }, allow)).toEqual([]);
  });

  it("a secret anywhere the file carries: description, tags, meta, pinData (a dev export --include-pin-data)", async () => {
    const bearer = `${"a1B2c3D4e5".repeat(3)}Zz`;
    const sql = render(DEV, {
      workflow: {
        description: `Agent webhook; token ${GITHUB_TOKEN}`,
        tags: ["agents", `sk${"_live"}_${"q7W3e9R1t5".repeat(2)}`],
        meta: { templateCredsSetupCompleted: true, apiToken: bearer },
        pinData: { Webhook: [{ json: { headers: { authorization: `Bearer ${bearer}` } } }] },
      },
    });
    const lineOf = (field: string) => sql.split("\n").findIndex((line) => line.startsWith(`  in_${field} `)) + 1;
    const problems = await problemsOf({ [DEV]: sql });
    expect(problems).toEqual([
      `${DEV}:${lineOf("description")}: possible secret (github-token) in the workflow at description: ghp_… (44 chars) (fingerprint ${fingerprintSecret("wfValidate000001", GITHUB_TOKEN)}); move it into an n8n credential, or allowlist it`,
      expect.stringMatching(new RegExp(`^${DEV}:${lineOf("tags")}: possible secret \\(stripe-key\\) in the workflow at tags\\[1\\]: sk_l… \\(28 chars\\)`)),
      expect.stringMatching(new RegExp(`^${DEV}:${lineOf("meta")}: possible secret \\(high-entropy-secret\\) in the workflow at meta.apiToken: a1B2… \\(32 chars\\)`)),
      expect.stringMatching(new RegExp(`^${DEV}:${lineOf("pin_data")}: possible secret \\(bearer-token\\) in the workflow at pinData.Webhook\\[0\\].json.headers.authorization: a1B2… \\(32 chars\\)`)),
    ]);
    expect(problems.join("\n")).not.toContain(bearer);
  });

  it("a secret in a name is masked in every problem that quotes the name", async () => {
    const named = { id: "n3", name: `Call ${GITHUB_TOKEN}`, type: "n8n-nodes-base.noOp", typeVersion: 1, position: [440, 0], parameters: {} };
    const problems = await problemsOf({ [DEV]: render(DEV, { workflow: { nodes: [...workflow().nodes, named, { ...named, id: "n4" }] } }) });
    expect(problems).toContainEqual(expect.stringContaining(`node name "Call ghp_… (44 chars)" is used twice`));
    expect(problems.join("\n")).not.toContain(GITHUB_TOKEN);
  });

  it("SQL that does not split as meant: a second statement in a workflow file, an unclosed quote", async () => {
    const extra = `${render(DEV)}DELETE FROM execution_entity;\n`;
    const lines = extra.split("\n").length - 1;
    expect(await problemsOf({ [DEV]: extra })).toEqual([
      `${DEV}:${lines}: a workflow migration is one DO statement; this file splits into 2 statement(s) starting with DO`,
      expect.stringMatching(new RegExp(`^${DEV}:${lines}: not code n8n-sync writes: 1 line added .*DELETE FROM execution_entity`)),
    ]);
    expect(await problemsOf({ "20250101000000_app.sql": "create table t (x int);\ninsert into t values (1);\nselect 'oops;\nselect 2;\n" })).toEqual([
      '20250101000000_app.sql:3: statement 3 does not end with ";": an unclosed quote, dollar quote or comment may swallow the rest of the file',
    ]);
  });
});
