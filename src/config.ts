// Settings are read once, here, into one typed object; nothing else reads process.env for them.
import path from "node:path";
import dotenvFlow from "dotenv-flow";

export interface Config {
  /** the environment chosen by --env, else NODE_ENV, else "development" */
  envName: string;
  /** that environment's n8n Postgres */
  databaseUrl: string;
  /** the schema n8n's tables live in (n8n's DB_POSTGRESDB_SCHEMA) */
  n8nSchema: string;
  /** absolute path of the Supabase migrations folder */
  migrationsDir: string;
  /** project that owns workflows new to this database; else the instance owner's personal project */
  projectId: string | undefined;
  /** the .env files read, lowest priority first (for error messages) */
  filesRead: string[];
  /** every variable after the cascade, real environment variables winning */
  vars: Readonly<Record<string, string | undefined>>;
}

export interface LoadConfigOptions {
  env?: string | undefined;
  cwd?: string;
  /** the real environment (defaults to process.env); wins over every file */
  processEnv?: Record<string, string | undefined>;
}

/** A configuration problem the user fixes by editing an env file or variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/** Config for commands that only read files (validate): everything but DATABASE_URL. */
export type FilesConfig = Omit<Config, "databaseUrl">;

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const config = loadFilesConfig(options);
  const where = `(env "${config.envName}"; read ${config.filesRead.length > 0 ? config.filesRead.join(", ") : "no .env files"} and the environment)`;
  const databaseUrl = config.vars.DATABASE_URL?.trim();
  if (!databaseUrl) {
    throw new ConfigError(`DATABASE_URL is not set ${where}: add it to .env.${config.envName}.local or export it.`);
  }
  checkDatabaseUrl(databaseUrl, where);
  return { ...config, databaseUrl };
}

export function loadFilesConfig(options: LoadConfigOptions = {}): FilesConfig {
  const cwd = options.cwd ?? process.cwd();
  const processEnv = options.processEnv ?? process.env;
  const envName = options.env ?? processEnv.NODE_ENV ?? "development";
  const files = dotenvFlow.listFiles({ node_env: envName, path: cwd });
  const fromFiles = files.length > 0 ? dotenvFlow.parse(files) : {};
  const vars: Record<string, string | undefined> = { ...fromFiles };
  for (const [key, value] of Object.entries(processEnv)) if (value !== undefined) vars[key] = value;

  const filesRead = files.map((file) => path.relative(cwd, file) || file);
  const n8nSchema = vars.N8N_DB_SCHEMA?.trim() || "public";
  if (!SCHEMA_NAME.test(n8nSchema)) {
    throw new ConfigError(
      `N8N_DB_SCHEMA "${n8nSchema}" is not a plain schema name (env "${envName}"): use n8n's DB_POSTGRESDB_SCHEMA value.`,
    );
  }
  return {
    envName,
    n8nSchema,
    migrationsDir: path.resolve(cwd, vars.MIGRATIONS_DIR?.trim() || "supabase/migrations"),
    projectId: vars.N8N_PROJECT_ID?.trim() || undefined,
    filesRead,
    vars,
  };
}

function checkDatabaseUrl(url: string, where: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`DATABASE_URL is not a valid URL ${where}: expected postgresql://user:password@host:5432/database.`);
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new ConfigError(`DATABASE_URL must start with postgresql:// ${where} (got "${maskUrl(url)}").`);
  }
  if (!parsed.hostname && !parsed.searchParams.get("host")) {
    throw new ConfigError(`DATABASE_URL has no host ${where} (got "${maskUrl(url)}").`);
  }
}

/** The URL with its password (and any password= parameter) replaced by ***; safe for every log line. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|key|token/i.test(key)) parsed.searchParams.set(key, "***");
    }
    return parsed.toString();
  } catch {
    // Not parseable: blank out anything between "://user:" and "@", and password=... pairs.
    return url.replace(/(\/\/[^:/@]*:)[^@]*@/, "$1***@").replace(/(password=)[^&\s]*/gi, "$1***");
  }
}

/** Replaces every occurrence of the URL's password in a message (drivers sometimes echo it). */
export function redactSecrets(message: string, databaseUrl: string): string {
  let password = "";
  try {
    password = decodeURIComponent(new URL(databaseUrl).password);
  } catch {
    password = /\/\/[^:/@]*:([^@]*)@/.exec(databaseUrl)?.[1] ?? "";
  }
  let out = message.split(databaseUrl).join(maskUrl(databaseUrl));
  if (password.length >= 3) out = out.split(password).join("***");
  return out;
}
