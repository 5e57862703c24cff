// A workflow built with a community node that prod has not installed, on real n8n 2.x: dev has the
// package (its installed_packages / installed_nodes rows written as n8n writes them when a package is
// installed; installing through n8n would need the package's download); the workflow is saved through
// dev's public API. export records the package; migrate-up --fail-on-missing-references in prod exits 3
// naming the package and leaves prod without the workflow (n8n's API answers 404); without the flag
// the workflow arrives with its node type and typeVersion untouched and the run names the package to
// install.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startEnvironments, type Environments, type Side } from "./support/environments.ts";
import { describeRun, runScript } from "./support/scripts.ts";

const installs = inject("e2eInstalls").filter((install) => install.version.startsWith("2."));

async function sql<T = Record<string, unknown>>(side: Side, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: side.instance.databaseUrl });
  await client.connect();
  try {
    await client.query(`SET search_path = "${side.instance.schema}"`);
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** As InstalledPackagesRepository.saveInstalledPackageWithNodes writes an installed package. */
async function installedPackage(side: Side): Promise<void> {
  await sql(side, `INSERT INTO installed_packages ("packageName", "installedVersion", "authorName", "authorEmail") VALUES ('n8n-nodes-weather', '1.4.0', 'Node Author', 'author@example.com')`);
  await sql(side, `INSERT INTO installed_nodes (name, type, "latestVersion", package) VALUES ('Weather', 'n8n-nodes-weather.weather', 2, 'n8n-nodes-weather')`);
}

const forecast = {
  id: "c3e5a7b9-0000-4000-8000-000000000002",
  name: "Forecast",
  type: "n8n-nodes-weather.weather",
  typeVersion: 2,
  position: [220, 0],
  parameters: { city: "Oslo" },
};

describe.skipIf(installs.length === 0)("node types against real n8n", () => {
  describe.each(installs)("n8n $version: a community node prod has not installed", (install) => {
    let envs: Environments;
    let dev: Side;
    let prod: Side;
    beforeAll(async () => {
      envs = await startEnvironments(install, inject("e2eAdminUrl"));
      ({ dev, prod } = envs);
    });
    afterAll(async () => {
      await envs?.dispose();
    });

    it("is reported by migrate-up with the package name, and --fail-on-missing-references keeps the workflow out", async () => {
      await installedPackage(dev);
      const trigger = { id: "c3e5a7b9-0000-4000-8000-000000000001", name: "Start", type: "n8n-nodes-base.manualTrigger", typeVersion: 1, position: [0, 0], parameters: {} };
      const created = await dev.api.call<{ id: string }>("POST", "/workflows", {
        name: "E2E Weather",
        nodes: [trigger, forecast],
        connections: { Start: { main: [[{ node: "Forecast", type: "main", index: 0 }]] } },
        settings: { executionOrder: "v1" },
      });

      const exported = await runScript("export", ["--env", "development", "--id", created.id], dev.env);
      expect(exported.code, describeRun("export", [], exported)).toBe(0);

      const refused = await runScript("migrate-up", ["--env", "production", "--fail-on-missing-references"], prod.env);
      expect(refused.code, describeRun("migrate-up", ["--fail-on-missing-references"], refused)).toBe(3);
      expect(refused.stdout + refused.stderr).toContain(
        'missing node type n8n-nodes-weather.weather of node "Forecast": install the community package n8n-nodes-weather 1.4.0 here',
      );
      expect(refused.stderr).toMatch(/1 reference would stay unresolved .*nothing applied/);
      await expect(prod.api.call("GET", `/workflows/${created.id}`)).rejects.toThrow(/answered 404/);
      expect(await sql(prod, `SELECT id FROM workflow_entity WHERE id = $1`, [created.id])).toEqual([]);

      const applied = await runScript("migrate-up", ["--env", "production"], prod.env);
      expect(applied.code, describeRun("migrate-up", [], applied)).toBe(0);
      expect(applied.stdout).toContain("install the community package n8n-nodes-weather 1.4.0 here");
      const arrived = await prod.api.call<{ nodes: Array<{ name: string; type: string; typeVersion: number }> }>("GET", `/workflows/${created.id}`);
      expect(arrived.nodes.find((node) => node.name === "Forecast")).toMatchObject({ type: "n8n-nodes-weather.weather", typeVersion: 2 });
      const status = await runScript("status", ["--env", "production"], prod.env);
      expect(status.stdout + status.stderr).toMatch(/unresolved\s+E2E Weather \(\w+\): missing node type n8n-nodes-weather\.weather/);
    });
  });
});

if (installs.length === 0) {
  describe("node types against real n8n", () => {
    it.skip(`skipped: ${inject("e2eSkipReason") || "no n8n 2.x install"}`, () => {});
  });
}
