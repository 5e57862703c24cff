// One real n8n server on loopback, on its own fresh database of a real PostgreSQL (recipe step 3-4):
// its own port, task-broker port (the broker defaults to 5679, n8n's own default port!), user folder and
// webhook URL, so two instances run side by side.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { freePort } from "../../../src/samples/embedded-postgres.ts";
import { join } from "node:path";
import pg from "pg";
import type { N8nInstall } from "./install.ts";

/** fixed so that credentials encrypted by one start decrypt at the next */
const ENCRYPTION_KEY = "n8n-sync-e2e-fixed-encryption-key";

export interface InstanceOptions {
  install: N8nInstall;
  /** e.g. "dev", "prod" */
  name: string;
  /** superuser URL of the PostgreSQL server (its `postgres` database) */
  adminUrl: string;
  /** the database to create (dropped first if it exists) */
  database: string;
  /** n8n's DB_POSTGRESDB_SCHEMA; default public */
  schema?: string;
  /** folder for the user folder and the log */
  workDir: string;
  /** n8n settings of a story's own (e.g. a short publication outbox poll), over the defaults below */
  env?: Record<string, string>;
}

export interface N8nInstance {
  name: string;
  /** http://127.0.0.1:<port> */
  url: string;
  /** URL of the instance's own database (what n8n-sync's DATABASE_URL points at) */
  databaseUrl: string;
  schema: string;
  logFile: string;
  /** starts n8n on the database and waits until it serves its API */
  start(): Promise<void>;
  /** SIGTERM, then SIGKILL after a grace period */
  stop(): Promise<void>;
  /** stop, and drop the database */
  destroy(): Promise<void>;
}

export async function createInstance(options: InstanceOptions): Promise<N8nInstance> {
  const { install, name, adminUrl, database, workDir } = options;
  const schema = options.schema ?? "public";
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await adminQuery(adminUrl, `CREATE DATABASE "${database}"`);
  const databaseUrl = withDatabase(adminUrl, database);
  const [port, brokerPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const userFolder = join(workDir, `${name}-home`);
  const logFile = join(workDir, `${name}.log`);
  await mkdir(userFolder, { recursive: true });
  const db = new URL(adminUrl);
  const env: NodeJS.ProcessEnv = {
    // Not vitest's own variables: with VITEST set, n8n's public API loads its handlers another way, and
    // POST /api/v1/data-tables answers 500.
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("VITEST"))),
    PATH: install.path,
    DB_TYPE: "postgresdb",
    DB_POSTGRESDB_HOST: db.hostname,
    DB_POSTGRESDB_PORT: db.port || "5432",
    DB_POSTGRESDB_DATABASE: database,
    DB_POSTGRESDB_USER: decodeURIComponent(db.username) || "postgres",
    DB_POSTGRESDB_PASSWORD: decodeURIComponent(db.password),
    DB_POSTGRESDB_SCHEMA: schema,
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: "127.0.0.1",
    N8N_HOST: "127.0.0.1",
    N8N_PROTOCOL: "http",
    N8N_SECURE_COOKIE: "false",
    N8N_RUNNERS_BROKER_PORT: String(brokerPort),
    N8N_RUNNERS_BROKER_LISTEN_ADDRESS: "127.0.0.1",
    WEBHOOK_URL: `${url}/`,
    N8N_USER_FOLDER: userFolder,
    N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: "false",
    N8N_DIAGNOSTICS_ENABLED: "false",
    N8N_DIAGNOSTICS_CONFIG_FRONTEND: "",
    N8N_DIAGNOSTICS_CONFIG_BACKEND: "",
    N8N_VERSION_NOTIFICATIONS_ENABLED: "false",
    N8N_PERSONALIZATION_ENABLED: "false",
    N8N_TEMPLATES_ENABLED: "false",
    N8N_HIRING_BANNER_ENABLED: "false",
    N8N_DYNAMIC_BANNERS_ENABLED: "false",
    N8N_LICENSE_AUTO_RENEW_ENABLED: "false",
    N8N_AI_ENABLED: "false",
    N8N_COMMUNITY_PACKAGES_ENABLED: "false",
    // 1.x does not know this module and refuses to start with it named (recipe step 7).
    N8N_DISABLED_MODULES: install.version.startsWith("1.") ? "" : "mcp-registry",
    // 2.x republishes a changed active workflow by itself within ~10 s; off, so that what the e2e stories
    // see going live is n8n-sync's doing (the outbox row its migration queues on 2.3x+, the API reload on
    // 1.x), not n8n's reconciler.
    N8N_WORKFLOW_PUBLICATION_RECONCILE_INTERVAL_SECONDS: "86400",
    N8N_LOG_LEVEL: "info",
    NODE_ENV: "production",
    ...options.env,
  };

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    running.kill("SIGTERM");
    const killer = setTimeout(() => running.kill("SIGKILL"), 20_000);
    await exited;
    clearTimeout(killer);
    child = undefined;
  };

  return {
    name,
    url,
    databaseUrl,
    schema,
    logFile,
    async start() {
      const log = createWriteStream(logFile, { flags: "a" });
      const started = spawn(install.nodeBin, [install.n8nBin, "start"], { env, cwd: userFolder, stdio: ["ignore", "pipe", "pipe"] });
      started.stdout?.pipe(log);
      started.stderr?.pipe(log);
      child = started;
      exited = new Promise((resolve) => started.once("exit", () => resolve()));
      try {
        await waitUntilReady(url, started, install.version);
      } catch (error) {
        await stop();
        const tail = (await readFile(logFile, "utf8").catch(() => "")).slice(-3000);
        throw new Error(`n8n ${install.version} "${name}" did not become ready: ${(error as Error).message}\n--- ${logFile} (tail) ---\n${tail}`);
      }
    },
    stop,
    async destroy() {
      await stop();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    },
  };
}

/**
 * Readiness answers once n8n's own migrations ran; 1.x reports it before its REST routes exist, so the
 * settings endpoint is awaited as well (n8n-facts.md).
 */
async function waitUntilReady(url: string, child: ChildProcess, version: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const paths = ["/healthz/readiness", "/rest/settings"];
  for (const path of paths) {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`n8n exited with ${child.exitCode ?? child.signalCode}`);
      if (Date.now() > deadline) throw new Error(`${url}${path} did not answer 200 within ${timeoutMs / 1000} s (n8n ${version})`);
      const status = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(5_000) }).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

export function withDatabase(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

