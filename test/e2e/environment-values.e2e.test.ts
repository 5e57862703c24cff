// Environment values against real n8n: a webhook workflow whose HTTP Request node calls "our API", a small
// HTTP server of the test on one port for dev and another for prod. Built in dev, exported, applied to
// prod by migrate-up --env production: prod's webhook reaches prod's server, dev's reaches dev's.
import { writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startEnvironments, type Environments, type Side } from "./support/environments.ts";
import { describeRun, runScript } from "./support/scripts.ts";

const installs = inject("e2eInstalls").filter((install) => install.version.startsWith("2."));

/** answers every request with which server it is */
async function apiServer(who: string): Promise<{ server: Server; base: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ server: who }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function sync(name: string, args: string[], env: Record<string, string>): Promise<string> {
  const result = await runScript(name, args, env);
  expect(result.code, describeRun(name, args, result)).toBe(0);
  return result.stdout + result.stderr;
}

/** the webhook's JSON answer once n8n serves it (activation is asynchronous) */
async function callWebhook(side: Side, path: string, expected: string, timeoutMs = 30_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = "";
  for (;;) {
    const response = await fetch(`${side.instance.url}/webhook/${path}`, { signal: AbortSignal.timeout(15_000) }).catch((error: Error) => error);
    if (!(response instanceof Error) && response.ok) {
      last = await response.json().catch(() => "");
      if ((last as { server?: string }).server === expected) return last;
    } else last = response instanceof Error ? response.message : response.status;
    if (Date.now() > deadline) return last;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

describe.skipIf(installs.length === 0)("environment values against real n8n", () => {
  describe.each(installs)("n8n $version", (install) => {
    let envs: Environments;
    let devApi: { server: Server; base: string };
    let prodApi: { server: Server; base: string };
    let valuesEnv: Record<string, string>;
    beforeAll(async () => {
      [devApi, prodApi] = await Promise.all([apiServer("dev"), apiServer("prod")]);
      envs = await startEnvironments(install, inject("e2eAdminUrl"));
      const valuesFile = join(envs.workDir, "n8n-values.json");
      await writeFile(valuesFile, JSON.stringify({ API_BASE: { match: "prefix", development: devApi.base, production: prodApi.base } }));
      valuesEnv = { N8N_VALUES_FILE: valuesFile };
    });
    afterAll(async () => {
      await envs?.dispose();
      for (const { server } of [devApi, prodApi]) if (server) server.close();
    });

    it("prod's webhook reaches prod's server and dev's reaches dev's", async () => {
      const { dev, prod } = envs;
      const path = `n8n-sync-env-values-${install.version.replaceAll(".", "-")}`;
      const created = await dev.api.call<{ id: string }>("POST", "/workflows", {
        name: "E2E calls our API",
        nodes: [
          { id: "a1", name: "Webhook", type: "n8n-nodes-base.webhook", typeVersion: 2, position: [0, 0], webhookId: "0f6a3c1e-2d4b-4e8a-9b7c-1a2b3c4d5e6f", parameters: { httpMethod: "GET", path, responseMode: "lastNode", options: {} } },
          { id: "a2", name: "Call API", type: "n8n-nodes-base.httpRequest", typeVersion: 4.2, position: [220, 0], parameters: { url: `${devApi.base}/who`, options: {} } },
        ],
        connections: { Webhook: { main: [[{ node: "Call API", type: "main", index: 0 }]] } },
        settings: { executionOrder: "v1" },
      });
      await dev.api.call("POST", `/workflows/${created.id}/activate`);
      expect(await callWebhook(dev, path, "dev")).toEqual({ server: "dev" });

      await sync("export", ["--env", "development", "--id", created.id], { ...dev.env, ...valuesEnv });
      const applied = await sync("migrate-up", ["--env", "production"], { ...prod.envWithReload, ...valuesEnv });
      expect(applied).toContain(`API_BASE: ${devApi.base} -> ${prodApi.base}`);
      await prod.api.call("POST", `/workflows/${created.id}/activate`);

      expect(await callWebhook(prod, path, "prod")).toEqual({ server: "prod" });
      expect(await callWebhook(dev, path, "dev")).toEqual({ server: "dev" });
    });
  });
});
