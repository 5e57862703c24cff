// `migration repair`, as Supabase CLI's: mark versions applied (a row with the local file's statements,
// exactly what applying it would have written) or reverted (rows deleted), without running any SQL of
// the files. Used after a failed autocommit file was finished by hand, or to adopt a database.
import { UserError } from "../errors/errors.ts";
import { withClient } from "../db/db.ts";
import { loadMigration } from "./file.ts";
import { listMigrationFiles } from "./files.ts";
import { ensureHistoryTable, readHistory, recordApplied, recordReverted } from "./history.ts";
import { clearIncomplete } from "./incomplete.ts";
import { acquireMigrationLock } from "./lock.ts";

export type RepairStatus = "applied" | "reverted";

export interface RepairOptions {
  databaseUrl: string;
  migrationsDir: string;
  status: RepairStatus;
  versions: readonly string[];
  lockWaitMs?: number;
}

export interface RepairResult {
  status: RepairStatus;
  /** versions whose row was written or deleted */
  changed: string[];
}

export async function repairHistory(options: RepairOptions): Promise<RepairResult> {
  const bad = options.versions.filter((v) => !/^\d{14}$/.test(v));
  if (bad.length > 0) throw new UserError(`not a migration version: ${bad.join(", ")} (expected 14 digits, e.g. 20251003120000)`);
  const folder = await listMigrationFiles(options.migrationsDir);
  const files = options.versions.map((version) => {
    const local = folder.migrations.find((m) => m.version === version);
    if (!local && options.status === "applied") {
      throw new UserError(`no migration file with version ${version} in ${options.migrationsDir}: cannot mark it applied`);
    }
    return { version, local };
  });
  const lock = await acquireMigrationLock(options.databaseUrl, { waitMs: options.lockWaitMs ?? 60_000 });
  try {
    return await withClient(options.databaseUrl, async (client) => {
      await clearIncomplete(client, options.versions);
      if (options.status === "reverted") {
        if (!(await readHistory(client)).ready) return { status: "reverted", changed: [] };
        return { status: "reverted", changed: await recordReverted(client, options.versions) };
      }
      await ensureHistoryTable(client);
      for (const { local } of files) {
        const migration = await loadMigration(local!);
        await recordApplied(client, migration.version, migration.name, migration.statements.map((s) => s.text));
      }
      return { status: "applied", changed: files.map((f) => f.version) };
    });
  } finally {
    await lock.release();
  }
}
