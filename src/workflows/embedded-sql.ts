// The TypeScript module that carries apply-workflow.sql as text (scripts/embed-sql.ts writes it; a unit
// test checks it is current). Pure, so the script and the test make the same text.

export function embeddedSqlModule(sql: string): string {
  return `// Generated from apply-workflow.sql by scripts/embed-sql.ts (npm run build): edit the .sql, not this file.
export const APPLY_WORKFLOW_SQL = ${JSON.stringify(sql)};
`;
}
