// A deploy is verified live in real n8n 2.x, and a publish n8n refuses never takes a workflow offline.
// Prod runs with its reconciler slowed down (as operators do) and a short outbox poll, and n8n-sync gets no
// N8N_API_URL/N8N_API_KEY: only the outbox row the migration queues can make a new version live.
import { readdir } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startEnvironments, type Environments, type Side } from "./support/environments.ts";
import { describeRun, runScript } from "./support/scripts.ts";

const installs = inject("e2eInstalls").filter((install) => install.version.startsWith("2."));

const N8N_ENV = {
  N8N_WORKFLOW_PUBLICATION_RECONCILE_INTERVAL_SECONDS: "3600",
  N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: "2000",
};

/** Webhook (GET `path`) -> Set answering `{ version }` */
function webhookWorkflow(name: string, path: string, version: string) {
  return {
    name,
    nodes: [
      {
        id: "5d2a9c41-7b3e-4f6a-9c1d-0e8f2a4b6c01",
        name: "Webhook",
        type: "n8n-nodes-base.webhook",
        typeVersion: 2,
        position: [0, 0],
        webhookId: `${name === "Other" ? "0b" : "1a"}7e3f52-4c9d-4e1a-8b2f-6d0c9e3a5f12`,
        parameters: { httpMethod: "GET", path, responseMode: "lastNode", options: {} },
      },
      {
        id: "8e4b1d63-2a5f-4c7e-9d0b-3f6a8c1e5b02",
        name: "Set version",
        type: "n8n-nodes-base.set",
        typeVersion: 3.4,
        position: [220, 0],
        parameters: {
          mode: "manual",
          assignments: { assignments: [{ id: "2c6f9a1e-5b3d-4e8f-a0c7-9d1b4e6f8a03", name: "version", value: version, type: "string" }] },
          options: {},
        },
      },
    ],
    connections: { Webhook: { main: [[{ node: "Set version", type: "main", index: 0 }]] } },
    settings: { executionOrder: "v1" },
  };
}

/** one call of the production webhook, no retry: what it answers right now */
async function webhookNow(side: Side, path: string): Promise<{ status: number; version?: string }> {
  const response = await fetch(`${side.instance.url}/webhook/${path}`, { signal: AbortSignal.timeout(15_000) });
  const text = await response.text();
  return response.ok ? { status: response.status, version: (JSON.parse(text) as { version?: string }).version } : { status: response.status };
}

async function until<T>(fn: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe.skipIf(installs.length === 0)("publishing through n8n's outbox against real n8n", () => {
  describe.each(installs)("n8n $version", (install) => {
    let envs: Environments;
    let dev: Side;
    let prod: Side;
    const tag = install.version.replaceAll(".", "-");
    const paths = { first: `orders-${tag}`, moved: `orders-moved-${tag}`, other: `other-${tag}` };

    beforeAll(async () => {
      envs = await startEnvironments(install, inject("e2eAdminUrl"), "public", N8N_ENV);
      ({ dev, prod } = envs);
    });
    afterAll(async () => {
      await envs?.dispose();
    });

    async function exportFromDev(id: string): Promise<void> {
      const before = (await readdir(envs.migrationsDir)).length;
      const result = await runScript("export", ["--env", "development", "--id", id], dev.env);
      expect(result.code, describeRun("export", [], result)).toBe(0);
      expect((await readdir(envs.migrationsDir)).length).toBe(before + 1);
    }

    it("a moved webhook is live when migrate-up --wait-live returns; a refused path keeps the previous version serving, exit 3, status says why", async () => {
      // Prod has another active workflow on its own path.
      const other = await prod.api.call<{ id: string }>("POST", "/workflows", webhookWorkflow("Other", paths.other, "other"));
      await prod.api.call("POST", `/workflows/${other.id}/activate`);

      // Orders, built in dev, synced to prod and published there through n8n.
      const orders = await dev.api.call<{ id: string }>("POST", "/workflows", webhookWorkflow("Orders", paths.first, "v1"));
      await exportFromDev(orders.id);
      const first = await runScript("migrate-up", ["--env", "production"], prod.env);
      expect(first.code, describeRun("migrate-up", [], first)).toBe(0);
      await prod.api.call("POST", `/workflows/${orders.id}/activate`);
      expect(await until(() => webhookNow(prod, paths.first), (a) => a.status === 200)).toEqual({ status: 200, version: "v1" });

      // Dev moves the path: live when migrate-up returns, the old path gone.
      await dev.api.call("PUT", `/workflows/${orders.id}`, webhookWorkflow("Orders", paths.moved, "v2"));
      await exportFromDev(orders.id);
      const started = Date.now();
      const moved = await runScript("migrate-up", ["--env", "production", "--wait-live", "60"], prod.env);
      const movedMs = Date.now() - started;
      expect(moved.code, describeRun("migrate-up", ["--wait-live", "60"], moved)).toBe(0);
      expect(moved.stdout).toContain(`Orders (${orders.id}): live in n8n`);
      expect(await webhookNow(prod, paths.moved)).toEqual({ status: 200, version: "v2" });
      expect((await webhookNow(prod, paths.first)).status).toBe(404);

      // The next version takes Other's path: n8n refuses it; the previous version is put back and serves.
      await dev.api.call("PUT", `/workflows/${orders.id}`, webhookWorkflow("Orders", paths.other, "v3"));
      await exportFromDev(orders.id);
      const args = ["--env", "production", "--wait-live", "60", "--fail-on-publish-error"];
      const refusedAt = Date.now();
      const refused = await runScript("migrate-up", args, prod.env);
      const refusedMs = Date.now() - refusedAt;
      expect(refused.code, describeRun("migrate-up", args, refused)).toBe(3);
      expect(refused.stderr).toMatch(new RegExp(`Orders \\(${orders.id}\\): not live in n8n: .*already taken`));
      expect(refused.stderr).toContain("back: live again");
      expect(await webhookNow(prod, paths.moved)).toEqual({ status: 200, version: "v2" });
      expect(await webhookNow(prod, paths.other)).toEqual({ status: 200, version: "other" });

      const status = await runScript("status", ["--env", "production"], prod.env);
      expect(status.stderr).toMatch(new RegExp(`Orders \\(${orders.id}\\): not live in n8n: .*already taken`));
      console.log(`migrate-up --wait-live: live after ${movedMs} ms; refused + restored after ${refusedMs} ms\n${moved.stdout}${refused.stderr}${status.stderr}`);
    });
  });
});
