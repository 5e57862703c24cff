import { describe, expect, it } from "vitest";
import { splitStatements } from "../../../src/migrations/split.ts";
import { needsServerVersion, transactionMode } from "../../../src/migrations/transaction-mode.ts";

const mode = (sql: string, version?: number) => transactionMode(splitStatements(sql), version);

describe("transactionMode", () => {
  it("runs ordinary files in a transaction", () => {
    expect(mode("create table t (x int); create index i on t (x); rollback to savepoint s;")).toEqual({ kind: "transaction" });
  });

  it("detects statements PostgreSQL refuses in a transaction block", () => {
    expect(mode("create table t (x int);\n-- c\ncreate index concurrently i on t (x);")).toEqual({
      kind: "autocommit",
      statement: 2,
      reason: "CREATE INDEX CONCURRENTLY",
    });
    for (const sql of ["VACUUM t", "drop index concurrently i", "reindex (verbose) table concurrently t", "create database d", "alter system set x = 1"]) {
      expect(mode(sql).kind, sql).toBe("autocommit");
    }
  });

  it("detects files that manage their own transactions", () => {
    expect(mode("begin; select 1; commit;")).toMatchObject({ kind: "autocommit", statement: 1, reason: expect.stringContaining("own transactions") });
  });

  it("treats ALTER TYPE ... ADD VALUE as transactional from PostgreSQL 12", () => {
    const sql = "alter type public.mood add value 'meh'";
    expect(needsServerVersion(splitStatements(sql))).toBe(true);
    expect(mode(sql, 110000).kind).toBe("autocommit");
    expect(mode(sql, 150000).kind).toBe("transaction");
  });
});
