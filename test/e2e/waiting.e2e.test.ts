// Issue 20 against real n8n: the Supabase CLI migrates a fresh database holding a workflow file before n8n
// ever started on it (the file waits), n8n then boots on that database cleanly and is set up, and
// migrate-up lands the workflow: n8n's API lists it, it activates, and its webhook answers.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { renderWorkflowMigration } from "../../src/workflows/render.ts";
import type { ExportedWorkflow } from "../../src/n8n/workflow.ts";
import { createSupabaseProject, type SupabaseProject } from "../support/supabase-cli.ts";
import { setUpOwner } from "./support/api.ts";
import { createInstance, type N8nInstance } from "./support/instance.ts";
import { describeRun, runScript } from "./support/scripts.ts";

const installs = inject("e2eInstalls").filter((install) => install.version.startsWith("2."));
const CREDENTIAL = { name: "E2E waiting header auth", type: "httpHeaderAuth" };
const PATH = "n8n-sync-e2e-waiting";
const FILE = "20250101000001_waiting_webhook.sql";

function workflow(): ExportedWorkflow {
  return {
    id: "e2eWaiting000001",
    name: "E2E waiting webhook",
    versionId: "5d1f7a2e-3b4c-4d5e-8f9a-0b1c2d3e4f50",
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-01-01T00:00:00.000Z",
    active: false,
    isArchived: false,
    description: null,
    nodes: [
      {
        id: "1a2b3c4d-0000-4000-8000-000000000001",
        name: "Webhook",
        type: "n8n-nodes-base.webhook",
        typeVersion: 2,
        position: [0, 0],
        webhookId: "1a2b3c4d-0000-4000-8000-0000000000aa",
        parameters: { httpMethod: "GET", path: PATH, responseMode: "lastNode", options: {} },
      },
      {
        id: "1a2b3c4d-0000-4000-8000-000000000002",
        name: "Set answer",
        type: "n8n-nodes-base.set",
        typeVersion: 3.4,
        position: [220, 0],
        parameters: { mode: "manual", assignments: { assignments: [{ id: "a1", name: "landed", value: "yes", type: "string" }] }, options: {} },
      },
      {
        id: "1a2b3c4d-0000-4000-8000-000000000003",
        name: "Notify",
        type: "n8n-nodes-base.httpRequest",
        typeVersion: 4.2,
        position: [440, 0],
        disabled: true,
        parameters: { method: "POST", url: "https://example.invalid/", authentication: "genericCredentialType", genericAuthType: "httpHeaderAuth", options: {} },
        credentials: { httpHeaderAuth: { id: "sourceCredential01", name: CREDENTIAL.name } },
      },
    ],
    connections: { Webhook: { main: [[{ node: "Set answer", type: "main", index: 0 }]] } },
    settings: { executionOrder: "v1" },
    meta: null,
    tags: [],
    credentials: [],
  } as ExportedWorkflow;
}

describe.skipIf(installs.length === 0)("a workflow file on a database n8n has not started on yet (real n8n)", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it.each(installs)("n8n $version: the Supabase CLI migrates, n8n boots cleanly, migrate-up lands the workflow; it activates and answers", async (install) => {
    const workDir = await mkdtemp(join(tmpdir(), "n8n-sync-e2e-waiting-"));
    cleanups.push(() => rm(workDir, { recursive: true, force: true }));
    const instance: N8nInstance = await createInstance({ install, name: "fresh", adminUrl: inject("e2eAdminUrl"), database: `n8nsync_e2e_waiting_${process.pid}`, workDir });
    cleanups.push(() => instance.destroy());
    const project: SupabaseProject = createSupabaseProject({
      "20250101000000_app.sql": "create table app_items (id int primary key);\n",
      [FILE]: renderWorkflowMigration(workflow(), { migration: FILE, source: "dev", n8n: "2.x (schema public)", generatedBy: "n8n-sync e2e" }),
      "20250101000002_app.sql": "insert into app_items values (1);\n",
    });
    cleanups.push(async () => project.remove());

    const cli = await project.migrationUp(instance.databaseUrl);
    expect(cli.code, cli.stderr).toBe(0);

    await instance.start(); // n8n's own migrations on a database n8n-sync has already written to
    const api = await setUpOwner(instance.url);
    await api.call("POST", "/credentials", { ...CREDENTIAL, data: { name: "X-Api-Key", value: "secret" } });
    const credentials = await api.list<{ id: string; name: string }>("/credentials");
    const credentialId = credentials.find((c) => c.name === CREDENTIAL.name)!.id;

    const env = { DATABASE_URL: instance.databaseUrl, N8N_DB_SCHEMA: "public", MIGRATIONS_DIR: project.migrationsDir };
    const run = await runScript("migrate-up", [], env);
    expect(run.code, describeRun("migrate-up", [], run)).toBe(0);
    expect(run.stdout).toContain(`landed ${FILE}`);

    const listed = await api.list<{ id: string }>("/workflows");
    expect(listed.map((w) => w.id)).toContain("e2eWaiting000001");
    const landed = await api.call<{ nodes: Array<{ name: string; credentials?: Record<string, { id: string }> }> }>("GET", "/workflows/e2eWaiting000001");
    expect(landed.nodes.find((n) => n.name === "Notify")!.credentials!.httpHeaderAuth!.id).toBe(credentialId);
    await api.call("POST", "/workflows/e2eWaiting000001/activate");
    let answer = "";
    for (let i = 0; i < 60 && !answer.includes("yes"); i++) {
      const response = await fetch(`${instance.url}/webhook/${PATH}`).catch(() => undefined);
      answer = response?.ok ? await response.text() : "";
      if (!answer.includes("yes")) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(JSON.parse(answer)).toMatchObject({ landed: "yes" });

    const again = await runScript("migrate-up", [], env);
    expect(again.stdout).toContain("up to date");
    const client = new pg.Client({ connectionString: instance.databaseUrl });
    await client.connect();
    try {
      expect((await client.query("SELECT count(*)::int AS n FROM supabase_migrations.n8n_sync_waiting")).rows).toEqual([{ n: 0 }]);
    } finally {
      await client.end();
    }
  });
});
