// What pending workflow files would report about their references (dry run, --fail-on-missing-references):
// found by running the files themselves, in order, in one transaction that is always rolled back. The SQL
// is the only implementation of the rules (team project, folders, data tables, sub-workflows, $vars), so
// the plan cannot disagree with the run, and a callee brought by an earlier file counts as present.
// Nothing is left behind: every write (folders, migration_metadata) is rolled back.
import type pg from "pg";
import { parseNotice, type WorkflowReport } from "./report.ts";

export interface RehearsedFile {
  file: string;
  /** the reports the file raised (one per workflow) */
  reports: WorkflowReport[];
  /** the file failed: what a real run would stop with */
  problem?: string;
}

const SAVEPOINT = "n8n_sync_rehearsal";

/**
 * Runs each file's SQL (read one at a time by `load`) after the settings (GUCs) a real run sets, then
 * rolls everything back. A failing file is rolled back to its savepoint and reported; the next ones run.
 */
export async function rehearseWorkflowFiles(
  client: pg.Client,
  files: ReadonlyArray<{ file: string; load: () => Promise<string> }>,
  gucs: Readonly<Record<string, string>>,
): Promise<RehearsedFile[]> {
  const rehearsed: RehearsedFile[] = [];
  let current: WorkflowReport[] = [];
  const onNotice = (notice: { message?: string; detail?: string }) => {
    const report = parseNotice(notice);
    if (report) current.push(report);
  };
  client.on("notice", onNotice);
  await client.query("BEGIN");
  try {
    for (const [name, value] of Object.entries(gucs)) await client.query("SELECT set_config($1, $2, true)", [name, value]);
    for (const { file, load } of files) {
      current = [];
      const sql = await load();
      await client.query(`SAVEPOINT ${SAVEPOINT}`);
      try {
        await client.query(sql);
        await client.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
        rehearsed.push({ file, reports: current });
      } catch (error) {
        await client.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
        rehearsed.push({ file, reports: [], problem: (error as Error).message });
      }
    }
  } finally {
    await client.query("ROLLBACK").catch(() => {});
    client.off("notice", onNotice);
  }
  return rehearsed;
}
