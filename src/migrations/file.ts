// One migration file read and split: its text, its statements (what runs and what history stores) and
// what kind of file it is.
import { readFile } from "node:fs/promises";
import { isWorkflowMigration } from "../workflows/header.ts";
import type { LocalMigration } from "./files.ts";
import { splitStatements, type Statement } from "./split.ts";

export interface LoadedMigration extends LocalMigration {
  sql: string;
  statements: Statement[];
  /** starts with the n8n-sync workflow marker: needs n8n's tables */
  workflow: boolean;
}

export async function loadMigration(migration: LocalMigration): Promise<LoadedMigration> {
  const sql = await readFile(migration.path, "utf8");
  return { ...migration, sql, statements: splitStatements(sql), workflow: isWorkflowMigration(sql) };
}
