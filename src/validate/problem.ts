// One thing a reviewer should fix, printed as `file:line: problem` (what editors and CI annotate).
import { docPath } from "../package/package-files.ts";
export interface Problem {
  /** the path as given (or relative to the working folder) */
  file: string;
  /** 1-based */
  line: number;
  message: string;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`;
}

/** 1-based line of an offset in a text. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let nl = text.indexOf("\n"); nl !== -1 && nl < offset; nl = text.indexOf("\n", nl + 1)) line++;
  return line;
}

/** The last line of a run: what was checked and, when something is wrong, what to do. */
export function validateSummary(checked: number, problems: number, scope: string): string {
  const what = `${checked} migration file${checked === 1 ? "" : "s"} (${scope})`;
  return problems === 0
    ? `validated ${what}: no problems`
    : `${problems} problem${problems === 1 ? "" : "s"} in ${what}: fix them (${docPath("security.md")} has the review checklist), then rerun`;
}

/** A GitHub Actions workflow command: the problem shows on the pull request's diff at that line. */
export function githubAnnotation(problem: Problem, level: "error" | "warning" = "error"): string {
  const data = (text: string) => text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
  const property = (text: string) => data(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
  return `::${level} file=${property(problem.file)},line=${problem.line}::${data(problem.message)}`;
}
