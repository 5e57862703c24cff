// The install step's contract: skip (never fail) only when the npm registry cannot be reached; a registry
// that answers but lacks the pinned n8n is an error; a completed install is reused without the network.
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cachedInstall, ensureN8n } from "./support/install.ts";
import { freePort } from "../../src/samples/embedded-postgres.ts";

describe("ensureN8n", () => {
  let cache: string;
  const savedRegistry = process.env.npm_config_registry;

  beforeEach(async () => {
    cache = await mkdtemp(join(tmpdir(), "n8n-sync-install-"));
  });
  afterEach(async () => {
    if (savedRegistry === undefined) delete process.env.npm_config_registry;
    else process.env.npm_config_registry = savedRegistry;
    await rm(cache, { recursive: true, force: true });
  });

  it("skips with the reason when the registry cannot be reached", async () => {
    process.env.npm_config_registry = `http://127.0.0.1:${await freePort()}/`;
    const result = await ensureN8n("2.41.1", () => {}, cache);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.skipReason).toMatch(/npm registry http:\/\/127\.0\.0\.1:\d+\/ cannot be reached.*skipping/);
  });

  it("fails when the registry answers but does not have that n8n version", async () => {
    const server: Server = createServer((_, response) => response.writeHead(404).end("{}"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const address = server.address() as { port: number };
      process.env.npm_config_registry = `http://127.0.0.1:${address.port}/`;
      await expect(ensureN8n("9.9.9", () => {}, cache)).rejects.toThrow(/n8n@9\.9\.9 is not in the npm registry/);
    } finally {
      server.close();
    }
  });

  it("reuses a completed install without asking the registry", async () => {
    process.env.npm_config_registry = `http://127.0.0.1:${await freePort()}/`;
    await mkdir(join(cache, "node24"), { recursive: true });
    await mkdir(join(cache, "n8n-2.41.1"), { recursive: true });
    expect(cachedInstall("2.41.1", cache)).toBeUndefined();
    await writeFile(join(cache, "node24", ".n8n-sync-complete"), "");
    await writeFile(join(cache, "n8n-2.41.1", ".n8n-sync-complete"), "");
    const result = await ensureN8n("2.41.1", () => {}, cache);
    expect(result).toEqual({ ok: true, install: cachedInstall("2.41.1", cache) });
    expect(result.ok && result.install.n8nBin).toBe(join(cache, "n8n-2.41.1", "node_modules", "n8n", "bin", "n8n"));
  });
});
