import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, loadFilesConfig, maskUrl, redactSecrets } from "../../src/config/config.ts";

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-config-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe("loadConfig", () => {
  it("cascades .env, .env.<env>, .env.<env>.local, then real variables", () => {
    const cwd = project({
      ".env": "DATABASE_URL=postgresql://a@h/base\nMIGRATIONS_DIR=from-env\nN8N_DB_SCHEMA=n8n\n",
      ".env.production": "DATABASE_URL=postgresql://a@h/prod\nMIGRATIONS_DIR=from-prod\n",
      ".env.production.local": "DATABASE_URL=postgresql://a@h/prod-local\n",
    });
    const config = loadConfig({ env: "production", cwd, processEnv: { MIGRATIONS_DIR: "from-shell" } });
    expect(config.envName).toBe("production");
    expect(config.databaseUrl).toBe("postgresql://a@h/prod-local");
    expect(config.migrationsDir).toBe(path.join(cwd, "from-shell"));
    expect(config.n8nSchema).toBe("n8n");
    expect(config.filesRead).toEqual([".env", ".env.production", ".env.production.local"]);
  });

  it("takes NODE_ENV when no --env is given, else development, and defaults the rest", () => {
    const cwd = project({ ".env.development": "DATABASE_URL=postgresql://a@h/dev\n", ".env.staging": "DATABASE_URL=postgresql://a@h/stg\n" });
    expect(loadConfig({ cwd, processEnv: {} }).databaseUrl).toBe("postgresql://a@h/dev");
    const staging = loadConfig({ cwd, processEnv: { NODE_ENV: "staging" } });
    expect(staging.databaseUrl).toBe("postgresql://a@h/stg");
    expect(staging.n8nSchema).toBe("public");
    expect(staging.migrationsDir).toBe(path.join(cwd, "supabase/migrations"));
    expect(staging.projectId).toBeUndefined();
  });

  it("names the variable and the files read when DATABASE_URL is missing", () => {
    const cwd = project({ ".env.development": "N8N_DB_SCHEMA=public\n" });
    expect(() => loadConfig({ cwd, processEnv: {} })).toThrowError(
      `DATABASE_URL is not set (env "development"; read .env.development in ${cwd} and the environment)`,
    );
  });

  it("rejects a malformed DATABASE_URL in one line without showing its password", () => {
    const cwd = project({});
    for (const bad of ["mysql://u:s3cretpw@h/db", "postgresql://u:s3cretpw@:5432/db", "not a url s3cretpw"]) {
      let message = "";
      try {
        loadConfig({ cwd, processEnv: { DATABASE_URL: bad } });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = (error as Error).message;
      }
      expect(message).toMatch(/DATABASE_URL/);
      expect(message).not.toContain("s3cretpw");
      expect(message).not.toContain("\n");
    }
  });

  it("loads everything but DATABASE_URL for commands that only read files", () => {
    const cwd = project({ ".env.development": "MIGRATIONS_DIR=db/migrations\n" });
    expect(() => loadConfig({ cwd, processEnv: {} })).toThrow(/DATABASE_URL is not set/);
    const config = loadFilesConfig({ cwd, processEnv: {} });
    expect(config.migrationsDir).toBe(path.join(cwd, "db/migrations"));
    expect("databaseUrl" in config).toBe(false);
    // The environment values file sits beside the migrations folder unless N8N_VALUES_FILE names one.
    expect(config.valuesFile).toBe(path.join(cwd, "db/n8n-values.json"));
    expect(loadFilesConfig({ cwd, processEnv: { N8N_VALUES_FILE: "config/values.json" } }).valuesFile).toBe(path.join(cwd, "config/values.json"));
  });

  it("rejects a schema name that is not a plain identifier", () => {
    const cwd = project({});
    expect(() => loadConfig({ cwd, processEnv: { DATABASE_URL: "postgresql://h/db", N8N_DB_SCHEMA: 'x"; drop' } })).toThrow(/N8N_DB_SCHEMA/);
  });

  it("parses every setting once into typed fields", () => {
    const cwd = project({
      ".env.production": "N8N_SYNC_LOCK_TIMEOUT=5s\nEXPORT_PROD_DAYS=14\nN8N_CREDENTIAL_MAP=maps/prod.json\nN8N_API_URL=http://n8n:5678\n",
    });
    const config = loadFilesConfig({ env: "production", cwd, processEnv: { N8N_SYNC_STATEMENT_TIMEOUT: " 1min ", GITHUB_ACTIONS: "true" } });
    expect(config).toMatchObject({
      lockTimeout: "5s",
      statementTimeout: "1min",
      exportProdDays: 14,
      credentialMapFile: "maps/prod.json",
      githubActions: true,
      // the API is configured only when both N8N_API_URL and N8N_API_KEY are set
      n8nApi: undefined,
    });
    expect(loadFilesConfig({ env: "production", cwd, processEnv: { N8N_API_KEY: "k" } }).n8nApi).toEqual({ url: "http://n8n:5678", apiKey: "k" });
    expect(loadFilesConfig({ cwd, processEnv: {} })).toMatchObject({ lockTimeout: undefined, exportProdDays: undefined, githubActions: false });
  });

  it("rejects a value it cannot use, naming the variable and where it was set", () => {
    const cwd = project({ ".env.production": "EXPORT_PROD_DAYS=0\n" });
    expect(() => loadFilesConfig({ env: "production", cwd, processEnv: {} })).toThrow(
      new ConfigError('EXPORT_PROD_DAYS (.env.production) must be a whole number of 1 or more, got "0"'),
    );
    expect(() => loadFilesConfig({ cwd, processEnv: { N8N_SYNC_LOCK_TIMEOUT: "soon" } })).toThrow(
      'N8N_SYNC_LOCK_TIMEOUT (the environment) "soon" is not a duration: use e.g. 5s, 500ms, 2min or 0 (no limit)',
    );
  });
});

describe("maskUrl / redactSecrets", () => {
  it("masks the password and secret-looking parameters", () => {
    expect(maskUrl("postgresql://user:p%40ss@db.example:5432/postgres?sslmode=require&password=x")).toBe(
      "postgresql://user:***@db.example:5432/postgres?sslmode=require&password=***",
    );
    expect(maskUrl("postgresql://user@h/db")).toBe("postgresql://user@h/db");
  });

  it("removes the password wherever a message repeats it", () => {
    const url = "postgresql://user:hunter22@h/db";
    expect(redactSecrets(`failed for ${url} with hunter22`, url)).toBe("failed for postgresql://user:***@h/db with ***");
  });
});

describe("reader and writer URLs", () => {
  const cwd = () =>
    project({
      ".env.production": "DATABASE_URL=postgresql://writer@h/db\n",
      ".env.production.local": "DATABASE_READER_URL=postgresql://n8n_sync_reader@h/db\n",
    });

  it("a command that only reads takes DATABASE_READER_URL; migrate-up's default takes DATABASE_URL", () => {
    const dir = cwd();
    expect(loadConfig({ env: "production", cwd: dir, processEnv: {}, access: "read" }).databaseUrl).toBe("postgresql://n8n_sync_reader@h/db");
    expect(loadConfig({ env: "production", cwd: dir, processEnv: {} }).databaseUrl).toBe("postgresql://writer@h/db");
  });

  it("DATABASE_URL alone keeps working for readers, and a reader URL alone is enough for them", () => {
    const writerOnly = project({ ".env.production": "DATABASE_URL=postgresql://writer@h/db\n" });
    expect(loadConfig({ env: "production", cwd: writerOnly, processEnv: {}, access: "read" }).databaseUrl).toBe("postgresql://writer@h/db");
    const readerOnly = project({ ".env.production.local": "DATABASE_READER_URL=postgresql://r@h/db\n" });
    expect(loadConfig({ env: "production", cwd: readerOnly, processEnv: {}, access: "read" }).databaseUrl).toBe("postgresql://r@h/db");
    expect(() => loadConfig({ env: "production", cwd: readerOnly, processEnv: {} })).toThrowError(/^DATABASE_URL is not set/);
    expect(() => loadConfig({ env: "production", cwd: project({}), processEnv: {}, access: "read" })).toThrowError(/^DATABASE_READER_URL \(or DATABASE_URL\) is not set/);
  });

  it("--db-url wins over both", () => {
    expect(loadConfig({ env: "production", cwd: cwd(), processEnv: { DATABASE_URL: "postgresql://env@h/db" }, databaseUrl: "postgresql://flag@h/db", access: "read" }).databaseUrl).toBe(
      "postgresql://flag@h/db",
    );
    expect(() => loadConfig({ cwd: project({}), processEnv: {}, databaseUrl: "not a url" })).toThrowError(/^--db-url is not a valid URL/);
  });
});

describe("the project root, from a subfolder", () => {
  it("reads the .env files of the nearest folder whose package.json has the n8n: scripts", () => {
    const root = project({
      "package.json": JSON.stringify({ scripts: { "n8n:migrate-up": "n8n-sync migrate-up", "dev:api": "x" } }),
      ".env.development.local": "DATABASE_URL=postgresql://a@h/dev\nMIGRATIONS_DIR=apps/api/supabase/migrations\n",
    });
    const api = path.join(root, "apps", "api");
    mkdirSync(path.join(api, "src"), { recursive: true });
    writeFileSync(path.join(api, "package.json"), JSON.stringify({ name: "api", scripts: { start: "node ." } }));
    const config = loadConfig({ cwd: path.join(api, "src"), processEnv: {} });
    expect(config.databaseUrl).toBe("postgresql://a@h/dev");
    expect(config.projectRoot).toBe(root);
    expect(config.migrationsDir).toBe(path.join(root, "apps/api/supabase/migrations"));
  });

  it("or of the nearest folder whose .env files record a MIGRATIONS_DIR that exists there", () => {
    const root = project({ ".env.development": "DATABASE_URL=postgresql://a@h/dev\nMIGRATIONS_DIR=db/migrations\n" });
    mkdirSync(path.join(root, "db", "migrations"), { recursive: true });
    expect(loadConfig({ cwd: path.join(root, "db", "migrations"), processEnv: {} }).projectRoot).toBe(root);
  });

  it("names the folder it looked in when DATABASE_URL is missing", () => {
    const dir = project({});
    expect(() => loadConfig({ cwd: dir, processEnv: {} })).toThrowError(`read no .env files in ${dir} and the environment`);
  });
});

