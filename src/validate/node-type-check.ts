// validate --env: the node types of the pull request's workflow files, checked against that environment's
// database by the files themselves (rehearsed in version order in one transaction that is rolled back,
// as migrate-up --dry-run does), so the findings are the ones migrate-up would report: a community
// package not installed there or too old and a type its policy denies are problems (migrate-up
// --fail-on-missing-references would stop on them); an older n8n there is a warning.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { withClient } from "../db/db.ts";
import { applySettingsGucs } from "../workflows/apply-settings.ts";
import { isWorkflowMigration } from "../workflows/header.ts";
import { isUnresolved } from "../workflows/report.ts";
import { rehearseWorkflowFiles } from "../workflows/rehearse.ts";
import { readDeclarations } from "./declarations.ts";
import type { Problem } from "./problem.ts";

export interface NodeTypeCheck {
  problems: Problem[];
  warnings: Problem[];
}

export async function checkNodeTypes(options: { databaseUrl: string; schema: string; envName: string; files: readonly string[]; cwd?: string }): Promise<NodeTypeCheck> {
  const cwd = options.cwd ?? process.cwd();
  const files: Array<{ file: string; shown: string; sql: string }> = [];
  for (const file of options.files) {
    const absolute = path.resolve(cwd, file);
    const sql = await readFile(absolute, "utf8").catch(() => undefined);
    if (sql !== undefined && isWorkflowMigration(sql)) files.push({ file: absolute, shown: path.relative(cwd, absolute) || file, sql });
  }
  files.sort((a, b) => (path.basename(a.file) < path.basename(b.file) ? -1 : 1));
  const result: NodeTypeCheck = { problems: [], warnings: [] };
  if (files.length === 0) return result;
  const rehearsed = await withClient(
    options.databaseUrl,
    (client) => rehearseWorkflowFiles(client, files.map(({ file, sql }) => ({ file, load: async () => sql })), applySettingsGucs({ schema: options.schema })),
    { applicationName: "n8n-sync validate" },
  );
  for (const { file, reports, problem } of rehearsed) {
    const { shown, sql } = files.find((f) => f.file === file)!;
    const declarations = readDeclarations(sql);
    const line = (field: string) => declarations.get(field)?.line ?? 1;
    if (problem) {
      result.warnings.push({ file: shown, line: 1, message: `node types not checked against ${options.envName}: the file would fail there (${problem})` });
      continue;
    }
    for (const ref of reports.flatMap((report) => report.references ?? [])) {
      if ((ref.kind !== "nodeType" && ref.kind !== "n8nVersion") || !ref.message) continue;
      const at = ref.kind === "n8nVersion" ? line("n8n_version") : ref.status === "denied" ? line("nodes") : line("community_nodes");
      const finding = { file: shown, line: at, message: `in ${options.envName}: ${ref.message}` };
      (isUnresolved(ref) ? result.problems : result.warnings).push(finding);
    }
  }
  return result;
}
