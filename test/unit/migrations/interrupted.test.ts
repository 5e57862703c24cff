import pg from "pg";
import { describe, expect, it } from "vitest";
import { isConnectionLoss } from "../../../src/db/db.ts";
import type { LoadedMigration } from "../../../src/migrations/file.ts";
import { interruptedMessage, type Interruption } from "../../../src/migrations/interrupted.ts";
import { splitStatements } from "../../../src/migrations/split.ts";
import { exportInterruptedMessage } from "../../../src/workflows/interrupted-export.ts";

const sql = "create index concurrently a on t (x);\nselect 1;\ncreate table u (x int);";
const migration: LoadedMigration = {
  version: "20250101000000",
  name: "index",
  file: "20250101000000_index.sql",
  path: "/m/20250101000000_index.sql",
  sql,
  statements: splitStatements(sql),
};
const base: Interruption = { doing: "before applying x", reason: "Connection terminated unexpectedly", appliedThisRun: 2, migration };

describe("what a run says when its connection is lost", () => {
  it("in a transaction: nothing of the file, landed, or unknown when the database does not answer", () => {
    expect(interruptedMessage({ ...base, landed: false })).toBe(
      "the database connection was lost while applying 20250101000000_index.sql (Connection terminated unexpectedly): nothing of it was applied (its transaction rolled back); the 2 file(s) before it in this run stay applied; rerun migrate-up",
    );
    expect(interruptedMessage({ ...base, landed: true })).toMatch(/as it committed .*: it is applied and recorded; .*rerun migrate-up for the rest$/);
    expect(interruptedMessage({ ...base, appliedThisRun: 0 })).toMatch(
      /and the database does not answer: the file and its history row commit together or not at all; rerun migrate-up once the database is back \(it applies 20250101000000_index\.sql only if it did not land\)$/,
    );
  });

  it("outside a transaction: which statements stay, and that runs refuse until repair", () => {
    expect(interruptedMessage({ ...base, statement: 2, landed: false, recordedIncomplete: true })).toBe(
      "the database connection was lost while applying 20250101000000_index.sql at statement 2 of 3 (Connection terminated unexpectedly): this file runs outside a transaction, so its first 1 statement(s) stay applied and statement 2 may have run in part; runs refuse until you finish it by hand and run n8n:repair --status applied 20250101000000 (or undo it and mark it reverted)",
    );
    expect(interruptedMessage({ ...base, statement: 4 })).toMatch(
      /after its 3 statement\(s\), while recording it .*every statement ran; nothing recorded that: check the database, finish the file by hand and run n8n:repair --status applied 20250101000000 before rerunning migrate-up$/,
    );
  });

  it("the lock lost mid-file, and a loss outside any file", () => {
    expect(interruptedMessage({ ...base, lockLost: true })).toMatch(/^the migration lock was lost while applying 20250101000000_index\.sql .*nothing of 20250101000000_index\.sql was applied/);
    expect(interruptedMessage({ doing: "while reading the migration history", reason: "read ECONNRESET", appliedThisRun: 0 })).toBe(
      "the database connection was lost while reading the migration history (read ECONNRESET): 0 file(s) of this run applied, nothing after them; rerun migrate-up",
    );
  });

  it("export: how many files were written and what was not", () => {
    expect(exportInterruptedMessage("ConnectionClosed", 3, [{ id: "a1", name: "A" }, { id: "b2", name: "B" }])).toBe(
      'the database connection was lost during the export (ConnectionClosed): 3 file(s) written whole, nothing was written for workflow a1 ("A") and 1 more; rerun (it skips what was written)',
    );
  });
});

describe("isConnectionLoss", () => {
  const serverError = (severity: string, code: string) => Object.assign(new pg.DatabaseError("x", 1, "error"), { severity, code });
  it("tells a cut connection from a failing statement", () => {
    expect(isConnectionLoss(serverError("FATAL", "57P01"))).toBe(true);
    expect(isConnectionLoss(serverError("ERROR", "08006"))).toBe(true);
    expect(isConnectionLoss(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }))).toBe(true);
    expect(isConnectionLoss(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isConnectionLoss(new Error("Client has encountered a connection error and is not queryable"))).toBe(true);
    expect(isConnectionLoss(serverError("ERROR", "42P07"))).toBe(false);
    expect(isConnectionLoss(serverError("ERROR", "57014"))).toBe(false); // statement_timeout: the file failed
    expect(isConnectionLoss(new Error("the connection string has no host"))).toBe(false);
  });
});
