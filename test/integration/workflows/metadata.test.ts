// The bookkeeping table a workflow migration creates is the one prisma/schema.prisma models: same
// columns, types and nullability, no foreign key to workflow_entity, indexed by workflow_id.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withN8nPrisma } from "../../../src/n8n/prisma.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { readModelColumns } from "../../support/prisma-model.ts";
import { applySql, makeWorkflow, renderCase } from "./helpers.ts";

const NATIVE: Record<string, string> = { text: "Text", "character varying": "VarChar", "timestamp with time zone": "Timestamptz", jsonb: "JsonB" };

describe("migration_metadata", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("n8n2schema");
    await applySql(db, renderCase(makeWorkflow(), "20250101000000_case.sql"));
  });
  afterAll(() => db.drop());

  it("matches the Prisma model", async () => {
    const actual = await db.query<{ column_name: string; data_type: string; is_nullable: string; character_maximum_length: number | null; datetime_precision: number | null }>(
      `SELECT column_name, data_type, is_nullable, character_maximum_length, datetime_precision
         FROM information_schema.columns WHERE table_schema = 'n8n' AND table_name = 'migration_metadata'`,
    );
    const model = readModelColumns().filter((c) => c.table === "migration_metadata");
    expect(actual.map((c) => c.column_name).sort()).toEqual(model.map((c) => c.column).sort());
    for (const col of model) {
      const real = actual.find((a) => a.column_name === col.column)!;
      let native = NATIVE[real.data_type]!;
      if (real.character_maximum_length) native += `(${real.character_maximum_length})`;
      if (real.data_type.startsWith("timestamp") && real.datetime_precision !== 6) native += `(${real.datetime_precision})`;
      expect({ column: col.column, native, nullable: real.is_nullable === "YES" }).toEqual({
        column: col.column,
        native: col.nativeType ?? "Text",
        nullable: col.optional,
      });
    }
    const rows = await withN8nPrisma(db.url, "n8n", (prisma) => prisma.migrationMetadata.findMany());
    expect(rows).toEqual([expect.objectContaining({ migrationFile: "20250101000000_case.sql", outcome: "inserted", source: "dev" })]);
  });

  it("has no foreign key and an index on workflow_id", async () => {
    const constraints = await db.query(`SELECT contype FROM pg_constraint WHERE conrelid = 'n8n.migration_metadata'::regclass`);
    // (PostgreSQL 18 also lists NOT NULL constraints, as "n")
    expect(constraints.map((c) => c.contype).filter((t) => t !== "n")).toEqual(["p"]);
    const indexes = await db.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = 'n8n' AND tablename = 'migration_metadata'`);
    expect(indexes.map((i) => i.indexdef)).toContainEqual(expect.stringMatching(/\(workflow_id, synced_at\)/));
  });
});
