// A "dev" and a "prod" n8n side by side, each with its owner and API key, plus the shared migrations
// folder (the Git checkout both sides pull), and the env each side's n8n-sync commands run with.
import { mkdtemp, mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { setUpOwner, type N8nApiClient } from "./api.ts";
import { createInstance, type N8nInstance } from "./instance.ts";
import type { N8nInstall } from "./install.ts";

export interface Side {
  instance: N8nInstance;
  api: N8nApiClient;
  /** n8n-sync's settings for this side, as env vars */
  env: Record<string, string>;
  /** the env with N8N_API_URL / N8N_API_KEY too: migrate-up may reload changed active workflows */
  envWithReload: Record<string, string>;
  /** rows of our history table, supabase_migrations.schema_migrations (0 when it does not exist yet) */
  appliedCount(): Promise<number>;
}

export interface Environments {
  dev: Side;
  prod: Side;
  migrationsDir: string;
  workDir: string;
  /** stops both n8n servers, drops their databases, removes the temp folder */
  dispose(): Promise<void>;
}

/**
 * `schema`: n8n's DB_POSTGRESDB_SCHEMA on both sides (Supabase setups often use "n8n"); `env`: n8n settings
 * of the story's own, on both sides
 */
export async function startEnvironments(install: N8nInstall, adminUrl: string, schema = "public", env: Record<string, string> = {}): Promise<Environments> {
  const workDir = await mkdtemp(join(tmpdir(), `n8n-sync-e2e-${install.version}-`));
  const migrationsDir = join(workDir, "supabase", "migrations");
  await mkdir(migrationsDir, { recursive: true });
  const run = `n8nsync_e2e_${install.version.replaceAll(".", "_")}_${process.pid}_${Date.now().toString(36)}`;
  const instances: N8nInstance[] = [];
  try {
    for (const name of ["dev", "prod"]) {
      instances.push(await createInstance({ install, name, adminUrl, database: `${run}_${name}`, schema, workDir, env }));
    }
    // Boot one after the other: two n8n start-ups at once on two cores only slow each other down.
    for (const instance of instances) await instance.start();
    const [dev, prod] = await Promise.all(instances.map((instance) => side(instance, migrationsDir)));
    return {
      dev: dev!,
      prod: prod!,
      migrationsDir,
      workDir,
      dispose: () => disposeAll(instances, workDir),
    };
  } catch (error) {
    await disposeAll(instances, workDir, false);
    throw error;
  }
}

async function disposeAll(instances: N8nInstance[], workDir: string, removeLogs = true): Promise<void> {
  for (const instance of instances) await instance.destroy();
  // On a failed start the logs stay, for the error message that points at them.
  if (removeLogs) await rm(workDir, { recursive: true, force: true });
}

async function side(instance: N8nInstance, migrationsDir: string): Promise<Side> {
  const api = await setUpOwner(instance.url);
  const env = { DATABASE_URL: instance.databaseUrl, N8N_DB_SCHEMA: instance.schema, MIGRATIONS_DIR: migrationsDir };
  return {
    instance,
    api,
    env,
    envWithReload: { ...env, N8N_API_URL: instance.url, N8N_API_KEY: api.apiKey },
    async appliedCount() {
      const client = new pg.Client({ connectionString: instance.databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: number }>(
          "SELECT CASE WHEN to_regclass('supabase_migrations.schema_migrations') IS NULL THEN 0 ELSE (SELECT count(*)::int FROM supabase_migrations.schema_migrations) END AS n",
        );
        return rows[0]?.n ?? 0;
      } finally {
        await client.end();
      }
    },
  };
}
