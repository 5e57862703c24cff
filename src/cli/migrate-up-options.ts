// migrate-up's settings from Config and flags: what workflow migrations are told about this database
// (ApplySettings) and the wait flags, validated with one-line errors.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { ConfigError, type Config } from "../config/config.ts";
import type { ApplySettings } from "../workflows/apply-settings.ts";

export const CREDENTIAL_MAP_FILE = "credential-map.json";

export interface ApplySettingsFlags {
  /** --keep-published-version: an active workflow keeps publishing its current version */
  keepPublishedVersion?: boolean;
  /** --credential-map <file> */
  credentialMap?: string | undefined;
}

export function applySettingsFromConfig(config: Config, flags: ApplySettingsFlags, cwd = process.cwd()): ApplySettings {
  return {
    schema: config.n8nSchema,
    projectId: config.projectId,
    publish: flags.keepPublishedVersion ? "keep" : "publish",
    credentialMap: loadCredentialMap(config, flags.credentialMap, cwd),
    environment: config.envName,
  };
}

/** --credential-map, else N8N_CREDENTIAL_MAP, else credential-map.json beside the migrations' parent folder if it exists. */
function loadCredentialMap(config: Config, flag: string | undefined, cwd: string): Record<string, string> | undefined {
  const named = flag ?? config.credentialMapFile;
  const file = named ? path.resolve(cwd, named) : path.join(path.dirname(path.dirname(config.migrationsDir)), CREDENTIAL_MAP_FILE);
  if (!named && !existsSync(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`cannot read credential map ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseCredentialMap(text, file);
}

/** Pure: a credential map is a JSON object of source credential id -> this database's credential id. */
export function parseCredentialMap(text: string, file: string): Record<string, string> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`credential map ${file} is not valid JSON (${(error as Error).message.split("\n")[0]}): expected {"<source credential id>": "<target credential id>"}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(`credential map ${file} must be a JSON object {"<source credential id>": "<target credential id>"}`);
  }
  for (const [key, id] of Object.entries(value)) {
    if (typeof id !== "string" || id.length === 0) {
      throw new ConfigError(`credential map ${file}: the value of "${key}" must be a credential id (a non-empty string)`);
    }
  }
  return value as Record<string, string>;
}

/** Seconds from a flag (--lock-wait, --wait-for-n8n) as milliseconds. */
export function parseSeconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) throw new ConfigError(`${flag} takes a number of seconds (got "${value}")`);
  return seconds * 1000;
}
