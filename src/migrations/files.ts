// Which files in the migrations folder are migrations: Supabase CLI's `<version>_<name>.sql`, with the
// version the 14-digit timestamp `supabase migration new` writes. Names that look like a migration but do
// not match are reported, because a file silently skipped is a change silently not deployed.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../errors/errors.ts";

export interface LocalMigration {
  /** 14-digit timestamp, e.g. 20251003120000 */
  version: string;
  /** the part after the first underscore, without .sql (stored in schema_migrations.name) */
  name: string;
  /** file name, e.g. 20251003120000_add_agent.sql */
  file: string;
  /** absolute path */
  path: string;
}

export interface MigrationFolder {
  /** in version order */
  migrations: LocalMigration[];
  /** one line per ignored file whose name looks like a mistake */
  warnings: string[];
  /** versions used by more than one file (each listed once) */
  duplicateVersions: string[];
}

const MIGRATION_NAME = /^(\d{14})_(.*)\.sql$/;

export type FileNameKind =
  | { kind: "migration"; version: string; name: string }
  | { kind: "ignored" }
  | { kind: "near-miss"; reason: string };

/** Pure: what a file name in the migrations folder is. */
export function classifyFileName(file: string): FileNameKind {
  const match = MIGRATION_NAME.exec(file);
  if (match) return { kind: "migration", version: match[1]!, name: match[2]! };
  const lower = file.toLowerCase();
  if (lower.endsWith(".sql")) {
    if (!file.endsWith(".sql")) return { kind: "near-miss", reason: 'the extension must be lower-case ".sql"' };
    const digits = /^(\d+)/.exec(file)?.[1];
    if (digits && digits.length !== 14) {
      return { kind: "near-miss", reason: `the version must be 14 digits (YYYYMMDDHHMMSS), not ${digits.length}` };
    }
    if (digits) return { kind: "near-miss", reason: 'an underscore must follow the version: "<version>_<name>.sql"' };
    return { kind: "near-miss", reason: 'the name must start with a 14-digit version: "<version>_<name>.sql"' };
  }
  if (/^\d{14}_.*\.sql\./i.test(file)) return { kind: "near-miss", reason: 'the name must end in ".sql"' };
  return { kind: "ignored" };
}

/** Pure: the migrations among file names, sorted by version, with warnings for near misses. */
export function parseMigrationFolder(dir: string, files: readonly string[]): MigrationFolder {
  const migrations: LocalMigration[] = [];
  const warnings: string[] = [];
  for (const file of files) {
    const kind = classifyFileName(file);
    if (kind.kind === "migration") {
      migrations.push({ version: kind.version, name: kind.name, file, path: path.join(dir, file) });
    } else if (kind.kind === "near-miss") {
      warnings.push(`ignoring ${file}: ${kind.reason}`);
    }
  }
  migrations.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : a.file < b.file ? -1 : 1));
  const duplicateVersions = [
    ...new Set(migrations.filter((m, i) => i > 0 && migrations[i - 1]!.version === m.version).map((m) => m.version)),
  ];
  return { migrations, warnings, duplicateVersions };
}

/** The migrations folder as it is on disk; a missing folder holds no migrations. */
export async function listMigrationFiles(dir: string): Promise<MigrationFolder> {
  let entries: string[];
  try {
    entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      return { migrations: [], warnings: [`migrations folder ${dir} does not exist (MIGRATIONS_DIR)`], duplicateVersions: [] };
    }
    if ((error as NodeJS.ErrnoException).code === "ENOTDIR") throw new UserError(`MIGRATIONS_DIR ${dir} is a file, not a folder: point MIGRATIONS_DIR at the migrations folder`);
    throw error;
  }
  return parseMigrationFolder(dir, entries);
}
