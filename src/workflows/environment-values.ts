// Environment values (supabase/n8n-values.json): the non-secret values a workflow's nodes hold that
// differ per environment (an API's base URL, a Slack channel, a sheet id), each named, with how it
// matches inside a node parameter. Pure: parse the file's text (what makes one ambiguous is validate's
// check, src/validate/values-file.ts, which runs the secret scanner on it).
//
//   { "API_BASE": { "match": "prefix", "development": "http://localhost:3000", "production": "https://api.example.com" },
//     "ALERT_CHANNEL": { "development": "#dev-alerts", "production": "#alerts" } }

/** whole: the parameter (or a string literal in an expression) is the value; prefix: it starts with it (URLs). */
export type MatchMode = "whole" | "prefix";

export interface EnvironmentValue {
  name: string;
  match: MatchMode;
  /** environment name -> value */
  values: Readonly<Record<string, string>>;
}

/** The file, entries in the file's order. */
export type ValuesTable = readonly EnvironmentValue[];

export const DEFAULT_VALUES_FILE = "n8n-values.json";

/** Shorter values would match parameters by accident ("dev", "#a"). */
export const MIN_VALUE_LENGTH = 5;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The file's text as a table; a shape error throws with one line saying what to write instead. */
export function parseValuesTable(text: string, file: string): ValuesTable {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message.split("\n")[0]}): expected {"API_BASE": {"development": "...", "production": "..."}}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file} must be a JSON object of named values, e.g. {"API_BASE": {"match": "prefix", "development": "http://localhost:3000", "production": "https://api.example.com"}}`);
  }
  return Object.entries(parsed).map(([name, entry]) => {
    if (!NAME.test(name)) throw new Error(`${file}: "${name}" is not a value name: use letters, digits and _ (e.g. API_BASE)`);
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw new Error(`${file}: ${name} must be an object of environment -> value, e.g. {"development": "...", "production": "..."}`);
    }
    const { match = "whole", ...values } = entry as Record<string, unknown>;
    if (match !== "whole" && match !== "prefix") throw new Error(`${file}: ${name}.match must be "whole" or "prefix" (got ${JSON.stringify(match)})`);
    for (const [env, value] of Object.entries(values)) {
      if (typeof value !== "string") throw new Error(`${file}: ${name}.${env} must be a string (got ${JSON.stringify(value)})`);
    }
    return { name, match, values: values as Record<string, string> };
  });
}

/** The environments the table names, sorted. */
export function environmentsOf(table: ValuesTable): string[] {
  return [...new Set(table.flatMap((entry) => Object.keys(entry.values)))].sort();
}

/** name -> environment -> value, as files carry it (in_env_values). */
export function valuesByName(table: ValuesTable): Record<string, Record<string, string>> {
  return Object.fromEntries(table.map((entry) => [entry.name, { ...entry.values }]));
}
