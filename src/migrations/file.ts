// One migration file read and split: its text and its statements (what runs and what history stores).
import type { LocalMigration } from "./files.ts";
import { readMigrationText } from "./read-file.ts";
import { splitStatements, type Statement } from "./split.ts";

export interface LoadedMigration extends LocalMigration {
  sql: string;
  statements: Statement[];
}

/**
 * Reads synchronously (inside a promise: a missing file still rejects): for the small files migrations
 * are, several times cheaper than fs/promises, whose open / fstat / read / close each cross the thread
 * pool; migrate-up reads the next file while the server applies the current one.
 */
export async function loadMigration(migration: LocalMigration): Promise<LoadedMigration> {
  // Refuses links out of the folder and text that is not UTF-8 (read-file.ts), before anything runs.
  const sql = readMigrationText(migration.path);
  return { ...migration, sql, statements: splitStatements(sql) };
}
