// Reading the environment values file (VALUES_FILE: --values-file, else N8N_VALUES_FILE, else
// n8n-values.json beside the migrations folder: supabase/n8n-values.json). No file is an empty table:
// nothing is replaced, every file applies as written, as before the file existed.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../errors/errors.ts";
import { DEFAULT_VALUES_FILE, parseValuesTable, type ValuesTable } from "./environment-values.ts";

/** supabase/n8n-values.json for supabase/migrations: the file sits beside the folder Supabase owns. */
export function defaultValuesFile(migrationsDir: string): string {
  return path.join(path.dirname(migrationsDir), DEFAULT_VALUES_FILE);
}

/** The table in `file`; [] when there is none. A malformed file stops the command with one line. */
export async function readValuesFile(file: string): Promise<ValuesTable> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new UserError(`cannot read the values file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parseValuesTable(text, file);
  } catch (error) {
    throw new UserError(`${(error as Error).message}; fix it (npm run n8n:validate checks it)`);
  }
}
