// One thing a reviewer should fix, printed as `file:line: problem` (what editors and CI annotate).
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
