// The demo behind `npm run demo`: a "dev" and a "prod" n8n database (restored from the n8n 2.41.1
// fixture) on a given server, four example workflows seeded in dev with credential references and
// executions, then the three stories walked through the same library functions the commands
// call, printing each step and both sides' state. Each story checks what it promises (executions kept,
// both sides on the same versions, a restart applies nothing) and throws when that does not hold, so
// the demo doubles as an end-to-end check. Seeding reuses the test seeders: rows as n8n writes them.
import { loadConfig, databaseTarget } from "../config/config.ts";
import { quoteIdent, withClient } from "../db/db.ts";
import { migrateUp, type MigrateUpResult } from "../migrate-up/migrate-up.ts";
import { exportProd } from "../prod-sync/export-prod.ts";
import { readStatus, type StatusResult } from "../status/status.ts";
import { exportWorkflows } from "../workflows/export.ts";
import { fixtureSql } from "../samples/sample-databases.ts";
import { credentialNode, editWorkflow, sampleConnections, sampleNodes, seedCredential, seedExecutions, seedWorkflow, type N8nDatabase } from "../samples/seed.ts";

export interface DemoOptions {
  /** superuser URL of the server the demo databases are created on */
  adminUrl: string;
  /** an empty folder for the migration files */
  migrationsDir: string;
  /** the demo databases are <prefix>_dev and <prefix>_prod (dropped first if they exist) */
  databasePrefix?: string;
  /** keep the databases afterwards (default: drop them) */
  keepDatabases?: boolean;
  print: (line: string) => void;
  /** how the commands' results read (the command layer's printers: the demo prints what a user would see) */
  lines: DemoLines;
  clock?: () => Date;
}

export interface DemoLines {
  /** migrate-up's lines for a run: one per workflow, then the summary */
  migrateUp(result: MigrateUpResult): string[];
  /** status's summary line */
  status(result: StatusResult): string;
}

export interface SideState {
  name: string;
  versionId: string;
  executions: number;
}

export interface DemoResult {
  dev: SideState[];
  prod: SideState[];
  /** files written by the stories, in order */
  files: string[];
}

interface Side extends N8nDatabase {
  label: "dev" | "prod";
  url: string;
}

export const DEMO_WORKFLOWS = ["agent_webhook_handler", "image_processing_pipeline", "analytics_aggregator", "customer_feedback_router"] as const;

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const print = options.print;
  const clock = options.clock ?? (() => new Date());
  const prefix = options.databasePrefix ?? "n8n_sync_demo";
  const names = [`${prefix}_dev`, `${prefix}_prod`];
  await withClient(options.adminUrl, async (client) => {
    for (const name of names) {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
    }
  });
  try {
    const [dev, prod] = await Promise.all([openSide("dev", options.adminUrl, names[0]!), openSide("prod", options.adminUrl, names[1]!)]);
    return await walkStories(dev, prod, options.migrationsDir, print, options.lines, clock);
  } finally {
    if (!options.keepDatabases) {
      await withClient(options.adminUrl, async (client) => {
        for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
      });
    }
  }
}

/** What each story uses: both sides, the folder, the printer and clock, and migrate-up as the start runs it. */
interface Walk {
  dev: Side;
  prod: Side;
  migrationsDir: string;
  print: (line: string) => void;
  lines: DemoLines;
  clock: () => Date;
  migrate: (side: Side, command: string) => Promise<MigrateUpResult>;
  /** the migration files the stories wrote, in order */
  files: string[];
}

async function walkStories(dev: Side, prod: Side, migrationsDir: string, print: (line: string) => void, lines: DemoLines, clock: () => Date): Promise<DemoResult> {
  const migrate = async (side: Side, command: string): Promise<MigrateUpResult> => {
    print(`$ ${command}`);
    const result = await migrateUp({ databaseUrl: side.url, migrationsDir, settings: { schema: side.schema } });
    if (result.status !== "ok") throw new Error(`migrate-up on ${side.label} ended ${result.status}: ${result.message ?? result.failure?.message ?? ""}`);
    for (const line of lines.migrateUp(result)) print(line);
    return result;
  };
  const walk: Walk = { dev, prod, migrationsDir, print, lines, clock, migrate, files: [] };

  print("Seeding dev: four example workflows (agent_webhook_handler, image_processing_pipeline, analytics_aggregator, customer_feedback_router), a credential each side (same names, different ids), executions in dev.");
  await seedDev(dev);
  await seedCredential(prod, { name: "Agent API", type: "httpHeaderAuth" });
  await seedCredential(prod, { name: "Team Slack", type: "slackApi" });
  await printState(dev, prod, print);

  const afterStory1 = await devToProd(walk);
  const afterStory2 = await prodToDev(walk, afterStory1);
  const final = await restartAppliesNothing(walk, afterStory2);
  print("");
  print(`Done: ${walk.files.length} migration files in ${migrationsDir}; executions kept on both sides.`);
  return { ...final, files: walk.files };
}

type State = Awaited<ReturnType<typeof printState>>;

async function devToProd({ dev, prod, migrationsDir, print, clock, migrate, files }: Walk): Promise<State> {
  print("");
  print("Story 1: a developer builds workflows locally, commits the migrations, and prod gets them on its next start.");
  print("$ npm run n8n:create-migration -- --env development --all");
  const exported = await exportWorkflows({ ...databaseTarget(loadConfig({ env: "development", cwd: migrationsDir, processEnv: { DATABASE_URL: dev.url, MIGRATIONS_DIR: migrationsDir } })), all: true, clock: clock });
  for (const file of exported.written) print(`  wrote ${file.file} ("${file.name}")`);
  files.push(...exported.written.map((f) => f.file));
  await migrate(dev, "npm run dev:api   (migrate-up on dev: its own exports are already there)");
  await migrate(prod, "npm run prod:start   (migrate-up on prod, then the server)");
  for (const workflow of await workflowIds(prod)) await seedExecutions(prod, workflow.id, 5);
  print("  prod runs the workflows: 5 executions each");
  const after = await printState(dev, prod, print);
  expectSameVersions(after, "story 1");
  return after;
}

async function prodToDev({ dev, prod, migrationsDir, print, clock, migrate, files }: Walk, before: State): Promise<State> {
  print("");
  print("Story 2: an admin fixes analytics_aggregator in production; the fix comes back to dev as a reviewed prod_sync migration.");
  const [analytics] = (await workflowIds(prod)).filter((w) => w.name === "analytics_aggregator");
  await editWorkflow(prod, analytics!.id, { nodes: sampleNodes("aggregate hourly, not daily") });
  print("  (edited in prod's n8n editor: a new version)");
  print("$ npm run n8n:create-history   (export-prod, read-only, last 7 days)");
  const fromProd = await exportProd({
    envName: "production",
    databaseUrl: prod.url,
    schema: prod.schema,
    migrationsDir,
    selection: { days: 7, names: [], ids: [], includeArchived: false },
    clock,
  });
  for (const file of fromProd.files) print(`  wrote ${file}`);
  print(`  ${fromProd.alreadyExported} unchanged workflow(s) already have a migration: skipped`);
  if (fromProd.files.length !== 1) throw new Error(`story 2: export-prod wrote ${fromProd.files.length} files, expected 1`);
  files.push(...fromProd.files);
  print("  (the pull request is reviewed and merged)");
  await migrate(dev, "npm run dev:api");
  await migrate(prod, "npm run prod:restart   (prod records its own prod_sync file: it already has that version)");
  const after = await printState(dev, prod, print);
  expectSameVersions(after, "story 2");
  expectExecutionsKept(before, after, "story 2");
  return after;
}

async function restartAppliesNothing({ dev, prod, migrationsDir, print, lines, migrate }: Walk, before: State): Promise<State> {
  print("");
  print("Story 3: every later start runs migrate-up first; with nothing pending it changes nothing.");
  for (const [side, command] of [[dev, "npm run dev:api"], [prod, "npm run prod:restart"]] as const) {
    const result = await migrate(side, command);
    if (result.applied.length > 0) throw new Error(`story 3: migrate-up on ${side.label} applied ${result.applied.length} file(s), expected none`);
  }
  for (const side of [dev, prod]) {
    const status = await readStatus({ databaseUrl: side.url, schema: side.schema, migrationsDir });
    print(`$ npm run n8n:status -- --env ${side.label === "dev" ? "development" : "production"}`);
    print(`  ${lines.status(status)}`);
  }
  const after = await printState(dev, prod, print);
  expectExecutionsKept(before, after, "story 3");
  return after;
}

async function seedDev(dev: Side): Promise<void> {
  const agentApi = await seedCredential(dev, { name: "Agent API", type: "httpHeaderAuth" });
  const slack = await seedCredential(dev, { name: "Team Slack", type: "slackApi" });
  const webhook = { parameters: { path: "agent", httpMethod: "POST" }, id: "a1", name: "Webhook", type: "n8n-nodes-base.webhook", typeVersion: 2, position: [0, 0] };
  const workflows = [
    {
      name: "agent_webhook_handler",
      nodes: [webhook, credentialNode("Call agent API", { id: agentApi, name: "Agent API" })],
      connections: { Webhook: { main: [[{ node: "Call agent API", type: "main", index: 0 }]] } },
      tags: ["agents"],
    },
    { name: "image_processing_pipeline", nodes: sampleNodes("resize to 1024px"), connections: sampleConnections(), tags: ["media"] },
    { name: "analytics_aggregator", nodes: sampleNodes("aggregate daily"), connections: sampleConnections(), tags: ["analytics"] },
    {
      name: "customer_feedback_router",
      nodes: [...sampleNodes("route feedback"), credentialNode("Notify team", { id: slack, name: "Team Slack", type: "slackApi" })],
      connections: { ...(sampleConnections() as object), "Edit Fields": { main: [[{ node: "Notify team", type: "main", index: 0 }]] } },
      tags: ["support"],
    },
  ];
  for (const workflow of workflows) {
    const seeded = await seedWorkflow(dev, workflow);
    await seedExecutions(dev, seeded.id, 2);
  }
}

async function printState(dev: Side, prod: Side, print: (line: string) => void): Promise<{ dev: SideState[]; prod: SideState[] }> {
  const [devState, prodState] = await Promise.all([sideState(dev), sideState(prod)]);
  print(`  ${"workflow".padEnd(27)} ${"dev version".padEnd(12)} ${"dev execs".padEnd(10)} ${"prod version".padEnd(13)}prod execs`);
  for (const name of DEMO_WORKFLOWS) {
    const d = devState.find((w) => w.name === name);
    const p = prodState.find((w) => w.name === name);
    print(
      `  ${name.padEnd(27)} ${(d?.versionId.slice(0, 8) ?? "-").padEnd(12)} ${String(d?.executions ?? "-").padEnd(10)} ${(p?.versionId.slice(0, 8) ?? "-").padEnd(13)}${p?.executions ?? "-"}`,
    );
  }
  return { dev: devState, prod: prodState };
}

async function sideState(side: Side): Promise<SideState[]> {
  return side.query<SideState>(
    `SELECT w.name, w."versionId"::text AS "versionId",
            (SELECT count(*)::int FROM execution_entity e WHERE e."workflowId" = w.id) AS executions
       FROM workflow_entity w ORDER BY w.name`,
  );
}

function workflowIds(side: Side): Promise<Array<{ id: string; name: string }>> {
  return side.query("SELECT id, name FROM workflow_entity ORDER BY name");
}

function expectSameVersions(state: { dev: SideState[]; prod: SideState[] }, story: string): void {
  for (const name of DEMO_WORKFLOWS) {
    const d = state.dev.find((w) => w.name === name)?.versionId;
    const p = state.prod.find((w) => w.name === name)?.versionId;
    if (!d || d !== p) throw new Error(`${story}: ${name} is at ${d ?? "nothing"} in dev but ${p ?? "nothing"} in prod`);
  }
}

function expectExecutionsKept(before: { dev: SideState[]; prod: SideState[] }, after: { dev: SideState[]; prod: SideState[] }, story: string): void {
  for (const side of ["dev", "prod"] as const) {
    for (const workflow of before[side]) {
      const now = after[side].find((w) => w.name === workflow.name)?.executions;
      if (now !== workflow.executions) throw new Error(`${story}: ${side} ${workflow.name} had ${workflow.executions} executions, now ${now ?? "none"}`);
    }
  }
}

async function openSide(label: Side["label"], adminUrl: string, database: string): Promise<Side> {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const side: Side = {
    label,
    url: url.toString(),
    schema: "public",
    query: (sql, params) => withClient(side.url, async (client) => (await client.query(sql, params)).rows),
  };
  // n8n creates its tables on its first start; the fixture is what n8n 2.41.1 created.
  await side.query(fixtureSql("n8n2")!);
  return side;
}
