// The reload path against a fake n8n public API on loopback (the e2e suite covers real n8n).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { reloadWorkflows } from "../../../src/n8n/reload.ts";

interface Call {
  method: string;
  url: string;
  apiKey: string | undefined;
}

async function fakeN8n(answer: (call: Call) => number): Promise<{ url: string; calls: Call[]; close(): Promise<void> }> {
  const calls: Call[] = [];
  const server = http.createServer((req, res) => {
    const call = { method: req.method ?? "", url: req.url ?? "", apiKey: req.headers["x-n8n-api-key"] as string | undefined };
    calls.push(call);
    const status = answer(call);
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(status < 400 ? { id: "x" } : { message: "Workflow could not be activated" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, calls, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.map((close) => close()));
  closers = [];
});

describe("reloadWorkflows", () => {
  it("deactivates then activates each workflow with the API key", async () => {
    const n8n = await fakeN8n(() => 200);
    closers.push(n8n.close);
    const results = await reloadWorkflows({ url: n8n.url, apiKey: "k-123" }, [
      { workflowId: "wfA", name: "A" },
      { workflowId: "wfB", name: "B" },
    ]);
    expect(results).toEqual([
      { workflowId: "wfA", name: "A", ok: true },
      { workflowId: "wfB", name: "B", ok: true },
    ]);
    expect(n8n.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      "POST /api/v1/workflows/wfA/deactivate",
      "POST /api/v1/workflows/wfA/activate",
      "POST /api/v1/workflows/wfB/deactivate",
      "POST /api/v1/workflows/wfB/activate",
    ]);
    expect(new Set(n8n.calls.map((c) => c.apiKey))).toEqual(new Set(["k-123"]));
  });

  it("reports a failing workflow and goes on with the others, without printing the key", async () => {
    const n8n = await fakeN8n((call) => (call.url.includes("wfA/activate") ? 400 : call.apiKey === "good" ? 200 : 401));
    closers.push(n8n.close);
    const [a, b] = await reloadWorkflows({ url: n8n.url, apiKey: "good" }, [
      { workflowId: "wfA", name: "A" },
      { workflowId: "wfB", name: "B" },
    ]);
    expect(a?.ok).toBe(false);
    expect(a?.error).toMatch(/activate answered 400 .*could not be activated/);
    expect(b?.ok).toBe(true);

    const [denied] = await reloadWorkflows({ url: n8n.url, apiKey: "wrong-key-42" }, [{ workflowId: "wfB", name: "B" }]);
    expect(denied?.error).toMatch(/401.*check N8N_API_KEY/);
    expect(denied?.error).not.toContain("wrong-key-42");
  });

  it("reports an unreachable n8n instead of throwing", async () => {
    const n8n = await fakeN8n(() => 200);
    await n8n.close();
    const [result] = await reloadWorkflows({ url: n8n.url, apiKey: "k", timeoutMs: 2000 }, [{ workflowId: "w", name: "W" }]);
    expect(result?.ok).toBe(false);
    expect(result?.error).toMatch(/did not answer.*N8N_API_URL/);
  });
});
