// Pure: whether a file can run inside one transaction. PostgreSQL refuses some commands in a transaction
// block ("cannot run inside a transaction block"); a file holding one, or managing its own transactions
// (BEGIN / COMMIT at top level), runs statement by statement in autocommit instead, and says so.
import type { Statement } from "./split.ts";

export type TransactionMode =
  | { kind: "transaction" }
  | { kind: "autocommit"; /** 1-based */ statement: number; reason: string };

/** Statement starts (first words) that PostgreSQL runs only outside a transaction block. */
const OUTSIDE_TRANSACTION: ReadonlyArray<{ words: string[]; anywhere?: string; label: string }> = [
  { words: ["CREATE", "INDEX", "CONCURRENTLY"], label: "CREATE INDEX CONCURRENTLY" },
  { words: ["CREATE", "UNIQUE", "INDEX", "CONCURRENTLY"], label: "CREATE INDEX CONCURRENTLY" },
  { words: ["DROP", "INDEX", "CONCURRENTLY"], label: "DROP INDEX CONCURRENTLY" },
  { words: ["REINDEX"], anywhere: "CONCURRENTLY", label: "REINDEX CONCURRENTLY" },
  { words: ["REINDEX", "DATABASE"], label: "REINDEX DATABASE" },
  { words: ["REINDEX", "SYSTEM"], label: "REINDEX SYSTEM" },
  { words: ["VACUUM"], label: "VACUUM" },
  { words: ["CLUSTER"], label: "CLUSTER" },
  { words: ["CREATE", "DATABASE"], label: "CREATE DATABASE" },
  { words: ["DROP", "DATABASE"], label: "DROP DATABASE" },
  { words: ["ALTER", "DATABASE"], anywhere: "TABLESPACE", label: "ALTER DATABASE ... SET TABLESPACE" },
  { words: ["CREATE", "TABLESPACE"], label: "CREATE TABLESPACE" },
  { words: ["DROP", "TABLESPACE"], label: "DROP TABLESPACE" },
  { words: ["ALTER", "SYSTEM"], label: "ALTER SYSTEM" },
  { words: ["CREATE", "SUBSCRIPTION"], label: "CREATE SUBSCRIPTION" },
  { words: ["DROP", "SUBSCRIPTION"], label: "DROP SUBSCRIPTION" },
  { words: ["ALTER", "SUBSCRIPTION"], anywhere: "REFRESH", label: "ALTER SUBSCRIPTION ... REFRESH" },
  { words: ["COMMIT", "PREPARED"], label: "COMMIT PREPARED" },
  { words: ["ROLLBACK", "PREPARED"], label: "ROLLBACK PREPARED" },
];

/** Top-level transaction control: the file manages its own transactions. */
const TRANSACTION_CONTROL = new Set(["BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT"]);

/** ALTER TYPE ... ADD VALUE runs in a transaction only from PostgreSQL 12. */
const ADD_VALUE_IN_TRANSACTION_FROM = 120000;

export function transactionMode(statements: readonly Statement[], serverVersionNum?: number): TransactionMode {
  for (const [index, statement] of statements.entries()) {
    const reason = outsideTransactionReason(statement.words, serverVersionNum);
    if (reason) return { kind: "autocommit", statement: index + 1, reason };
  }
  return { kind: "transaction" };
}

function outsideTransactionReason(words: readonly string[], serverVersionNum: number | undefined): string | undefined {
  const first = words[0];
  if (first === undefined) return undefined;
  const savepointOrPrepared = words[1] === "TO" || words[1] === "PREPARED";
  if (TRANSACTION_CONTROL.has(first) && !savepointOrPrepared) return `${first} (the file manages its own transactions)`;
  for (const rule of OUTSIDE_TRANSACTION) {
    if (!rule.words.every((word, i) => words[i] === word)) continue;
    if (rule.anywhere && !words.includes(rule.anywhere)) continue;
    return rule.label;
  }
  if (
    isAddValue(words) && serverVersionNum !== undefined && serverVersionNum < ADD_VALUE_IN_TRANSACTION_FROM
  ) {
    return "ALTER TYPE ... ADD VALUE (before PostgreSQL 12)";
  }
  return undefined;
}

function isAddValue(words: readonly string[]): boolean {
  return words[0] === "ALTER" && words[1] === "TYPE" && words.some((word, i) => word === "ADD" && words[i + 1] === "VALUE");
}

/** Whether the server version matters for this file (asked only then, to spare a round trip). */
export function needsServerVersion(statements: readonly Statement[]): boolean {
  return statements.some((s) => isAddValue(s.words));
}
