// The commands' libraries with a values file: export (development) writes dev's values and says which
// entries are stale and which other environment's values it found; migrate-up --env production gives
// prod prod's values and status calls it the same version; export-prod brings prod's edit back to dev
// with dev's values.
import { readMigrationEnvironment } from "../../../src/workflows/read-environment.ts";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseTarget, loadConfig, type Config } from "../../../src/config/config.ts";
import { migrateUp } from "../../../src/migrate-up/migrate-up.ts";
import { applySettingsFromConfig } from "../../../src/cli/migrate-up-options.ts";
import { pendingLines } from "../../../src/cli/migrate-up-lines.ts";
import { exportProd } from "../../../src/prod-sync/export-prod.ts";
import { readStatus } from "../../../src/status/status.ts";
import { exportWorkflows } from "../../../src/workflows/export.ts";
import { readValuesFile } from "../../../src/workflows/environment-values-file.ts";
import { editWorkflow, seedWorkflow } from "../../../src/samples/seed.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { applySql, targetWorkflow } from "./helpers.ts";
import { rollbackWorkflow } from "../../../src/rollback/rollback.ts";
import { compareMigrations } from "../../../src/diff/compare.ts";
import { isEmptyDiff } from "../../../src/diff/workflow-diff.ts";
import { renderDiffTerminal } from "../../../src/diff/render-terminal.ts";
import { readWorkflows } from "../../../src/n8n/read.ts";
import { withReadOnlySource } from "../../../src/prod-sync/source.ts";

const VALUES = {
  API_BASE: { match: "prefix", development: "http://localhost:3000", production: "https://api.example.com" },
  ALERT_CHANNEL: { development: "#dev-alerts", production: "#prod-alerts" },
  SHEET_ID: { development: "dev-sheet-0001", production: "prod-sheet-0001" },
};

const httpNode = (url: string, channel: string) => ({
  parameters: { url, options: {}, bodyParameters: { parameters: [{ name: "channel", value: channel }] } },
  id: "http", name: "Call API", type: "n8n-nodes-base.httpRequest", typeVersion: 4.2, position: [200, 0],
});

describe("environment values through export, migrate-up, status and export-prod", () => {
  let dev: TestDatabase;
  let prod: TestDatabase;
  let dir: string;
  let devConfig: Config;
  let prodConfig: Config;
  beforeAll(async () => {
    [dev, prod] = (await Promise.all([createTestDatabase("n8n2"), createTestDatabase("n8n2")])) as [TestDatabase, TestDatabase];
    dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-env-values-"));
    mkdirSync(path.join(dir, "supabase", "migrations"), { recursive: true });
    writeFileSync(path.join(dir, "supabase", "n8n-values.json"), JSON.stringify(VALUES, null, 2));
    devConfig = loadConfig({ env: "development", cwd: dir, processEnv: { DATABASE_URL: dev.url, N8N_DB_SCHEMA: dev.schema } });
    prodConfig = loadConfig({ env: "production", cwd: dir, processEnv: { DATABASE_URL: prod.url, N8N_DB_SCHEMA: prod.schema } });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await Promise.all([dev.drop(), prod.drop()]);
  });

  it("round-trips dev -> prod -> dev with each environment's values", async () => {
    const workflow = await seedWorkflow(dev, { name: "Env values", nodes: [httpNode("http://localhost:3000/orders", "#dev-alerts")] });
    const pasted = await seedWorkflow(dev, { name: "Pasted prod URL", nodes: [httpNode("https://api.example.com/orders", "#dev-alerts")] });
    const exported = await exportWorkflows({
      ...databaseTarget(devConfig),
      names: [workflow.name, pasted.name],
      environment: { name: devConfig.envName, values: await readValuesFile(devConfig.valuesFile) },
      clock: () => new Date("2026-01-01T00:00:00Z"),
    });
    expect(exported.environmentValues).toEqual({
      environment: "development",
      stale: ["SHEET_ID"],
      foreign: [{ workflowId: pasted.id, workflow: "Pasted prod URL", node: "Call API", name: "API_BASE", environment: "production" }],
    });
    const sql = readFileSync(exported.written.find((w) => w.workflowId === workflow.id)!.path, "utf8");
    expect(readMigrationEnvironment(sql)?.name).toBe("development");
    expect(sql).toContain("http://localhost:3000/orders");

    // migrate-up --dry-run lists the replacements per workflow (and changes nothing).
    const dryRun = await migrateUp({ databaseUrl: prod.url, migrationsDir: prodConfig.migrationsDir, settings: applySettingsFromConfig(prodConfig, {}, dir), dryRun: true });
    const planned = dryRun.pending.flatMap(pendingLines).join("\n");
    expect(planned).toContain('API_BASE: http://localhost:3000 -> https://api.example.com (node "Call API")');
    expect(planned).toContain('ALERT_CHANNEL: #dev-alerts -> #prod-alerts (node "Call API")');
    expect(await targetWorkflow(prod, workflow.id)).toBeUndefined();
    expect(await prod.query(`SELECT to_regclass('"${prod.schema}".n8n_sync_environment') AS t`)).toEqual([{ t: null }]);

    const prodRun = await migrateUp({ databaseUrl: prod.url, migrationsDir: prodConfig.migrationsDir, settings: applySettingsFromConfig(prodConfig, {}, dir) });
    expect(prodRun.status).toBe("ok");
    const inProd = await targetWorkflow(prod, workflow.id);
    expect(inProd!.nodes[0].parameters.url).toBe("https://api.example.com/orders");
    expect(inProd!.nodes[0].parameters.bodyParameters.parameters[0].value).toBe("#prod-alerts");
    const replaced = prodRun.applied.flatMap((f) => f.reports).find((r) => r.workflowId === workflow.id)!.references!;
    expect(replaced.map((r) => r.message)).toContain('API_BASE: http://localhost:3000 -> https://api.example.com (node "Call API")');

    // diff --env production: the file as it applies there is what prod has (no change), and the
    // replaced values are listed by name.
    const devFile = path.relative(dir, exported.written.find((w) => w.workflowId === workflow.id)!.path);
    const againstProd = await withReadOnlySource(prod.url, prod.schema, (source) =>
      compareMigrations({ migrationsDir: prodConfig.migrationsDir, targets: [devFile], cwd: dir, environment: { name: "production", read: (ids) => readWorkflows(source.prisma, source.schema.features, ids) } }),
    );
    expect(isEmptyDiff(againstProd.reports[0]!.diff)).toBe(true);
    const lines = renderDiffTerminal(againstProd.reports, { color: false });
    expect(lines).toContain("    = production: API_BASE: http://localhost:3000 -> https://api.example.com");
    expect(lines).toContain("    = production: ALERT_CHANNEL: #dev-alerts -> #prod-alerts");

    // Different values, same version: status in prod says so.
    const status = await readStatus({ databaseUrl: prod.url, schema: prod.schema, migrationsDir: prodConfig.migrationsDir });
    expect(status.workflows.find((w) => w.workflowId === workflow.id)).toMatchObject({ agreement: "same" });

    // Edited in prod, brought back by export-prod: dev gets the edit with dev's values.
    const nodes = inProd!.nodes as any[];
    nodes[0].parameters.options = { timeout: 1000 };
    await editWorkflow(prod, workflow.id, { nodes, at: new Date("2026-01-02T00:00:00Z") });
    const back = await exportProd({
      envName: "production",
      databaseUrl: prod.url,
      schema: prod.schema,
      migrationsDir: prodConfig.migrationsDir,
      selection: { days: 7, names: [workflow.name], ids: [], includeArchived: false },
      values: await readValuesFile(prodConfig.valuesFile),
      clock: () => new Date("2026-01-02T00:00:01Z"),
    });
    expect(back.written).toBe(1);
    // Its review summary shows the edit, not the environment difference from the earlier dev file.
    expect(back.summary).toContain("timeout");
    expect(back.summary).not.toContain("parameters.url");
    // diff of the prod_sync_ file against the earlier dev file: only the edit, not the environment.
    const prodFile = path.join("supabase", "migrations", back.files[0]!);
    const review = renderDiffTerminal((await compareMigrations({ migrationsDir: prodConfig.migrationsDir, targets: [prodFile], cwd: dir })).reports, { color: false }).join("\n");
    expect(review).toContain("timeout");
    expect(review).not.toContain("parameters.url");
    expect(review).not.toContain("parameters.bodyParameters");
    expect(review).toContain("development: API_BASE: https://api.example.com -> http://localhost:3000");
    const devRun = await migrateUp({ databaseUrl: dev.url, migrationsDir: devConfig.migrationsDir, settings: applySettingsFromConfig(devConfig, {}, dir) });
    expect(devRun.status).toBe("ok");
    const inDev = await targetWorkflow(dev, workflow.id);
    expect(inDev!.nodes[0].parameters).toEqual({
      url: "http://localhost:3000/orders",
      options: { timeout: 1000 },
      bodyParameters: { parameters: [{ name: "channel", value: "#dev-alerts" }] },
    });

    // A rollback written in prod (from prod's history) holds prod's values and says so: dev gets dev's.
    const rollbackDir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-env-rollback-"));
    try {
      const rollback = await rollbackWorkflow({
        databaseUrl: prod.url,
        schema: prod.schema,
        migrationsDir: rollbackDir,
        workflow: workflow.id,
        to: workflow.versionId,
        environment: { name: "production", values: await readValuesFile(prodConfig.valuesFile) },
      });
      const rollbackSql = readFileSync(rollback.path, "utf8");
      expect(readMigrationEnvironment(rollbackSql)?.name).toBe("production");
      await applySql(dev, rollbackSql, { environment: "development" });
      const rolledBack = await targetWorkflow(dev, workflow.id);
      expect(rolledBack!.nodes[0].parameters).toEqual({
        url: "http://localhost:3000/orders",
        options: {},
        bodyParameters: { parameters: [{ name: "channel", value: "#dev-alerts" }] },
      });
    } finally {
      rmSync(rollbackDir, { recursive: true, force: true });
    }
  });
});
