// Pure: does the SQL split into the statements its author meant? Every statement must end with a
// semicolon: one missing at the end usually means an unclosed quote, dollar quote or comment that
// swallowed the rest of the file. A workflow migration is exactly one DO statement.
import { splitStatements, type Statement } from "../migrations/split.ts";

export interface StatementProblem {
  line: number;
  message: string;
}

export function statementProblems(sql: string, workflow: boolean): StatementProblem[] {
  const statements = splitStatements(sql);
  const problems: StatementProblem[] = [];
  const last = statements.at(-1);
  // A trailing comment is a "statement" without words; it needs no semicolon.
  if (last && last.words.length > 0 && !endsWithSemicolon(sql, last)) {
    problems.push({
      line: last.line,
      message: `statement ${statements.length} does not end with ";": an unclosed quote, dollar quote or comment may swallow the rest of the file`,
    });
  }
  if (workflow && (statements.length !== 1 || statements[0]!.words[0] !== "DO")) {
    problems.push({
      line: statements[1]?.line ?? statements[0]?.line ?? 1,
      message: `a workflow migration is one DO statement; this file splits into ${statements.length} statement(s)${statements[0] ? ` starting with ${statements[0].words[0] ?? "?"}` : ""}`,
    });
  }
  return problems;
}

function endsWithSemicolon(sql: string, statement: Statement): boolean {
  let i = statement.start + statement.text.length;
  while (i < sql.length && /\s/.test(sql[i]!)) i++;
  return sql[i] === ";";
}
