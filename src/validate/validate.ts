// validate, the library function behind scripts/validate.ts: every check on each given migration file,
// reading only the files (no database). One Problem per thing to fix.
import { readdir, readFile } from "node:fs/promises";
import { MigrationFileError, readMigrationText } from "../migrations/read-file.ts";
import path from "node:path";
import type { Allowlist } from "../secrets/allowlist.ts";
import { isWorkflowMigration, WORKFLOW_MARKER } from "../workflows/header.ts";
import { fileNameProblems } from "./file-name.ts";
import { lineAt, type Problem } from "./problem.ts";
import { statementProblems } from "./statements.ts";
import { templateProblems } from "./template-check.ts";
import { workflowProblems } from "./workflow-checks.ts";
import { valuesFileProblems } from "./values-file.ts";

export interface ValidateOptions {
  /** paths of the files to check */
  files: readonly string[];
  /** accepted secret findings */
  allowlist: Allowlist;
  /** paths in problems are relative to this folder */
  cwd?: string;
  /** the environment values file, checked whenever it exists (an ambiguous one is refused) */
  valuesFile?: string;
}

export interface ValidateResult {
  checked: number;
  problems: Problem[];
}

export async function validateFiles(options: ValidateOptions): Promise<ValidateResult> {
  const cwd = options.cwd ?? process.cwd();
  const folders = new Map<string, string[]>();
  const problems: Problem[] = [];
  for (const file of options.files) {
    const absolute = path.resolve(cwd, file);
    const shown = path.relative(cwd, absolute) || file;
    const add = (line: number, message: string) => problems.push({ file: shown, line, message });
    let sql: string;
    try {
      sql = readMigrationText(absolute);
    } catch (error) {
      if (!(error instanceof MigrationFileError)) throw error;
      add(error.byteOffset === undefined ? 1 : await lineOfByte(absolute, error.byteOffset), error.message);
      continue;
    }
    const dir = path.dirname(absolute);
    if (!folders.has(dir)) folders.set(dir, await readdir(dir));
    for (const message of fileNameProblems(path.basename(absolute), folders.get(dir)!)) add(1, message);
    const workflow = isWorkflowMigration(sql);
    for (const problem of statementProblems(sql, workflow)) add(problem.line, problem.message);
    if (workflow) {
      for (const problem of templateProblems(sql)) add(problem.line, problem.message);
      for (const problem of workflowProblems(path.basename(absolute), sql, options.allowlist)) add(problem.line, problem.message);
    } else if (sql.includes(WORKFLOW_MARKER)) {
      add(lineAt(sql, sql.indexOf(WORKFLOW_MARKER)), `"${WORKFLOW_MARKER}" must be the file's first line: as it is, the file is not checked (nor applied) as a workflow migration`);
    }
  }
  if (options.valuesFile) {
    const shown = path.relative(cwd, path.resolve(cwd, options.valuesFile)) || options.valuesFile;
    for (const { line, message } of await valuesFileProblems(path.resolve(cwd, options.valuesFile))) problems.push({ file: shown, line, message });
  }
  problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  return { checked: options.files.length, problems };
}

/** 1-based line of a byte offset (the file is not text: count LF bytes). */
async function lineOfByte(file: string, offset: number): Promise<number> {
  const bytes = await readFile(file);
  let line = 1;
  for (let i = bytes.indexOf(10); i !== -1 && i < offset; i = bytes.indexOf(10, i + 1)) line++;
  return line;
}
