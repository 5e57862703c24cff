// Settings are read once, here, into one typed object; nothing else reads process.env or the .env files
// for them. A value that cannot be used is an error naming the variable and where it was set.
import path from "node:path";
import dotenvFlow from "dotenv-flow";
import { findProjectRoot } from "./project-root.ts";

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
  /** N8N_CREDENTIAL_MAP: migrate-up's credential map file (else credential-map.json, if there) */
  credentialMapFile: string | undefined;
  /** N8N_VALUES_FILE: the environment values file (else n8n-values.json beside the migrations folder) */
  valuesFile: string;
  /** N8N_SYNC_LOCK_TIMEOUT: PostgreSQL lock_timeout per migration file */
  lockTimeout: string | undefined;
  /** N8N_SYNC_STATEMENT_TIMEOUT: PostgreSQL statement_timeout per migration file */
  statementTimeout: string | undefined;
  /** N8N_SYNC_WAIT_LIVE: seconds migrate-up waits for n8n to report each publish (--wait-live) */
  waitLiveSeconds: number | undefined;
  /** EXPORT_PROD_DAYS: export-prod's window in days */
  exportProdDays: number | undefined;
  /** N8N_API_URL + N8N_API_KEY: n8n's public API, to reload changed active workflows (both, or undefined) */
  n8nApi: { url: string; apiKey: string } | undefined;
  /** GITHUB_ACTIONS=true: running in GitHub Actions (validate annotates the pull request) */
  githubActions: boolean;
  /** the .env files read, lowest priority first (for error messages) */
  filesRead: string[];
  /** the folder they were looked for in: the project root found from the current folder */
  projectRoot: string;
}

/** The database and folder a command works on, as the library's options name them (export, export-prod, status, rollback). */
export interface DatabaseTarget {
  databaseUrl: string;
  /** schema of n8n's tables */
  schema: string;
  migrationsDir: string;
}

export function databaseTarget(config: Config): DatabaseTarget {
  return { databaseUrl: config.databaseUrl, schema: config.n8nSchema, migrationsDir: config.migrationsDir };
}

export interface LoadConfigOptions {
  env?: string | undefined;
  /** where the command runs (default: the current folder); the project root is found from here (project-root.ts) */
  cwd?: string;
  /** the real environment (defaults to process.env); wins over every file */
  processEnv?: Record<string, string | undefined>;
  /** --db-url: wins over DATABASE_URL from the files and the environment */
  databaseUrl?: string | undefined;
  /**
   * "read": a command that only reads n8n's tables (export-prod, diff --env) connects with
   * DATABASE_READER_URL (the least-privilege n8n_sync_reader role) when it is set, else DATABASE_URL;
   * "write" (default): DATABASE_URL, the role migrate-up writes with.
   */
  access?: "read" | "write";
}

/** A configuration problem the user fixes by editing an env file or variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

const ENV_NAME = /^[A-Za-z0-9_-]+$/;
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/** Config for commands that only read files (validate): everything but DATABASE_URL. */
export type FilesConfig = Omit<Config, "databaseUrl">;

/** the read-only connection of commands that only read (see LoadConfigOptions.access) */
const READER_URL = "DATABASE_READER_URL";

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const { config, vars } = load(options);
  const where = `(env "${config.envName}"; read ${config.filesRead.length > 0 ? config.filesRead.join(", ") : "no .env files"} in ${config.projectRoot} and the environment)`;
  const reader = options.access === "read" ? vars.get(READER_URL) : undefined;
  const databaseUrl = options.databaseUrl?.trim() || reader || vars.get("DATABASE_URL");
  if (!databaseUrl) {
    const names = options.access === "read" ? `${READER_URL} (or DATABASE_URL)` : "DATABASE_URL";
    throw new ConfigError(`${names} is not set ${where}: add it to .env.${config.envName}.local or export it.`);
  }
  checkDatabaseUrl(databaseUrl, where, options.databaseUrl?.trim() ? "--db-url" : reader ? READER_URL : "DATABASE_URL");
  return { ...config, databaseUrl };
}

export function loadFilesConfig(options: LoadConfigOptions = {}): FilesConfig {
  return load(options).config;
}

/** The variables after the cascade (trimmed; empty is unset), and where each one was set. */
interface Variables {
  get(name: string): string | undefined;
  /** "the environment" or the .env file that set it */
  origin(name: string): string;
}

function load(options: LoadConfigOptions): { config: FilesConfig; vars: Variables } {
  const cwd = findProjectRoot(options.cwd ?? process.cwd());
  const processEnv = options.processEnv ?? process.env;
  // An empty NODE_ENV (`NODE_ENV= npm run ...`) is unset, as Node tools read it.
  const envName = options.env ?? (processEnv.NODE_ENV || undefined) ?? "development";
  // The name becomes part of .env file names: "../x" or "/etc/y" would read files outside the project.
  if (!ENV_NAME.test(envName)) {
    throw new ConfigError(
      `environment name ${JSON.stringify(envName)} (${options.env !== undefined ? "--env" : "NODE_ENV"}) is not a name: use letters, digits, "-" and "_" only (e.g. development, production, staging)`,
    );
  }
  const files = dotenvFlow.listFiles({ node_env: envName, path: cwd });
  const filesRead = files.map((file) => path.relative(cwd, file) || file);
  const values = new Map<string, { value: string; origin: string }>();
  files.forEach((file, i) => {
    for (const [key, value] of Object.entries(dotenvFlow.parse(file))) values.set(key, { value, origin: filesRead[i]! });
  });
  for (const [key, value] of Object.entries(processEnv)) if (value !== undefined) values.set(key, { value, origin: "the environment" });
  const vars: Variables = {
    get: (name) => values.get(name)?.value.trim() || undefined,
    origin: (name) => values.get(name)?.origin ?? "the environment",
  };
  const setting = (name: string) => `${name} (${vars.origin(name)})`;

  const n8nSchema = vars.get("N8N_DB_SCHEMA") ?? "public";
  if (!SCHEMA_NAME.test(n8nSchema)) {
    throw new ConfigError(
      `N8N_DB_SCHEMA "${n8nSchema}" is not a plain schema name (env "${envName}"): use n8n's DB_POSTGRESDB_SCHEMA value.`,
    );
  }
  const apiUrl = vars.get("N8N_API_URL");
  const apiKey = vars.get("N8N_API_KEY");
  const migrationsDir = path.resolve(cwd, vars.get("MIGRATIONS_DIR") ?? "supabase/migrations");
  const valuesFile = vars.get("N8N_VALUES_FILE");
  const config: FilesConfig = {
    envName,
    n8nSchema,
    migrationsDir,
    // Beside the migrations folder (supabase/n8n-values.json): workflows/environment-values-file.ts.
    valuesFile: valuesFile ? path.resolve(cwd, valuesFile) : path.join(path.dirname(migrationsDir), "n8n-values.json"),
    projectId: vars.get("N8N_PROJECT_ID"),
    credentialMapFile: vars.get("N8N_CREDENTIAL_MAP"),
    lockTimeout: parseDuration(vars.get("N8N_SYNC_LOCK_TIMEOUT"), setting("N8N_SYNC_LOCK_TIMEOUT")),
    statementTimeout: parseDuration(vars.get("N8N_SYNC_STATEMENT_TIMEOUT"), setting("N8N_SYNC_STATEMENT_TIMEOUT")),
    waitLiveSeconds: parseSecondsSetting(vars.get("N8N_SYNC_WAIT_LIVE"), setting("N8N_SYNC_WAIT_LIVE")),
    exportProdDays: parseWholeNumber(vars.get("EXPORT_PROD_DAYS"), setting("EXPORT_PROD_DAYS")),
    n8nApi: apiUrl && apiKey ? { url: apiUrl, apiKey } : undefined,
    githubActions: vars.get("GITHUB_ACTIONS") === "true",
    filesRead,
    projectRoot: cwd,
  };
  return { config, vars };
}

const DURATION = /^\d+\s*(us|ms|s|min|h|d)?$/;

/** A PostgreSQL duration for lock_timeout / statement_timeout ("5s", "500ms", "0"), or undefined. */
export function parseDuration(value: string | undefined, what: string): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (!DURATION.test(trimmed)) throw new ConfigError(`${what} "${trimmed}" is not a duration: use e.g. 5s, 500ms, 2min or 0 (no limit)`);
  return trimmed;
}

/** A whole number of 1 or more, or undefined when unset. */
function parseSecondsSetting(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new ConfigError(`${what} must be a number of seconds (0: do not wait), got "${value}"`);
  return n;
}

function parseWholeNumber(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`${what} must be a whole number of 1 or more, got "${value}"`);
  return n;
}

function checkDatabaseUrl(url: string, where: string, name: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`${name} is not a valid URL ${where}: expected postgresql://user:password@host:5432/database.`);
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new ConfigError(`${name} must start with postgresql:// ${where} (got "${maskUrl(url)}").`);
  }
  if (!parsed.hostname && !parsed.searchParams.get("host")) {
    throw new ConfigError(`${name} has no host ${where} (got "${maskUrl(url)}").`);
  }
}

/** The URL with its password (and any password= parameter) replaced by ***; safe for every log line. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    // "postgres:secret@host:5432/db" (no //) parses with the password in the path: mask it as text.
    if (!parsed.host || !url.includes("//")) throw new Error("not a URL with a host");
    if (parsed.password) parsed.password = "***";
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|key|token/i.test(key)) parsed.searchParams.set(key, "***");
    }
    return parsed.toString();
  } catch {
    // Not a URL with a host: blank out everything between "[scheme://]user:" and the last "@", and password=... pairs.
    return url.replace(USER_PASSWORD, "$1***@").replace(/(password=)[^&\s]*/gi, "$1***");
  }
}

/** `[scheme://]user:password@` with the password (up to the last "@" of the authority) in group 2. */
const USER_PASSWORD = /^((?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^:@/?#\s]*:)(\S*@)/;

/** Replaces every occurrence of the URL's password in a message (drivers sometimes echo it). */
export function redactSecrets(message: string, databaseUrl: string): string {
  let password = "";
  try {
    const parsed = new URL(databaseUrl);
    if (!parsed.host || !databaseUrl.includes("//")) throw new Error("not a URL with a host");
    password = decodeURIComponent(parsed.password);
  } catch {
    password = USER_PASSWORD.exec(databaseUrl)?.[2]?.slice(0, -1) ?? "";
  }
  let out = message.split(databaseUrl).join(maskUrl(databaseUrl));
  if (password.length >= 3) out = out.split(password).join("***");
  return out;
}
