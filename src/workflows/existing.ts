// Which workflow versions already have a migration in the folder: read from the headers of the *.sql
// files (only their first bytes, so a folder of large workflows stays cheap to scan).
import { mkdir, open, readdir } from "node:fs/promises";
import { UserError } from "../errors/errors.ts";
import path from "node:path";
import { parseHeader, type WorkflowHeader } from "./header.ts";

/** The header ends well before this many bytes (the longest field is a 128-character name). */
const HEADER_BYTES = 16 * 1024;

export interface ExistingMigration {
  file: string;
  header: Partial<WorkflowHeader>;
}

/** Makes the migrations folder (and its parents) unless it is there; a file in its place is the setting's fault. */
export async function makeMigrationsFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOTDIR") {
      throw new UserError(`MIGRATIONS_DIR ${dir} is a file (or lies under one), not a folder: point MIGRATIONS_DIR at the migrations folder`);
    }
    throw new UserError(`cannot create MIGRATIONS_DIR ${dir} (${code ?? (error as Error).message}): check the path and its permissions`);
  }
}

/** The *.sql file names in the folder, sorted ([] when it does not exist yet); migrations/files.ts classifies them for the runner. */
export async function listSqlFileNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((file) => file.endsWith(".sql")).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** The workflow migrations in the folder with their headers, in file order. */
export async function readWorkflowMigrations(dir: string): Promise<ExistingMigration[]> {
  const found: ExistingMigration[] = [];
  for (const file of await listSqlFileNames(dir)) {
    const parsed = parseHeader(await readHead(path.join(dir, file)));
    if (parsed) found.push({ file, header: parsed.header });
  }
  return found;
}

/** versionId -> the file that already brings it. */
export function migratedVersions(existing: readonly ExistingMigration[]): Map<string, string> {
  const versions = new Map<string, string>();
  for (const { file, header } of existing) {
    if (header.versionId) versions.set(header.versionId, file);
  }
  return versions;
}

async function readHead(file: string): Promise<string> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEADER_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString("utf8");
  } finally {
    await handle.close();
  }
}
