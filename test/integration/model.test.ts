// The Prisma model must describe n8n's tables exactly as real n8n creates them, on 1.x and 2.x, in any
// schema; and queries through it must work on each (version-only columns are never selected blindly).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withN8nPrisma } from "../../src/n8n/prisma.ts";
import { inspectN8nSchema } from "../../src/n8n/schema.ts";
import { connect } from "../../src/db/db.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import { readModelColumns } from "../support/prisma-model.ts";

/** information_schema's description of a column -> the Prisma native type that models it */
function nativeTypeOf(col: { data_type: string; character_maximum_length: number | null; datetime_precision: number | null }): string {
  switch (col.data_type) {
    case "character varying":
      return col.character_maximum_length ? `VarChar(${col.character_maximum_length})` : "VarChar";
    case "character":
      return `Char(${col.character_maximum_length})`;
    case "timestamp with time zone":
      return col.datetime_precision === 6 ? "Timestamptz" : `Timestamptz(${col.datetime_precision})`;
    case "json":
      return "Json";
    case "uuid":
      return "Uuid";
    case "text":
      return "Text";
    case "integer":
      return "Integer";
    case "boolean":
      return "Boolean";
    default:
      return col.data_type;
  }
}

/** what Prisma uses when no @db attribute is given */
const DEFAULT_NATIVE: Record<string, string> = { String: "Text", Int: "Integer", Boolean: "Boolean" };

const n8nTables = [...new Set(readModelColumns().filter((c) => c.table !== "migration_metadata").map((c) => c.table))];

describe.each([
  ["n8n2", 2],
  ["n8n2schema", 2],
  ["n8n1", 1],
] as const)("Prisma model vs fixture %s", (fixture, generation) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(fixture);
  });
  afterAll(() => db.drop());

  it("has every modelled column with the same type and nullability", async () => {
    const actual = await db.query<{
      table_name: string;
      column_name: string;
      data_type: string;
      is_nullable: string;
      character_maximum_length: number | null;
      datetime_precision: number | null;
    }>(
      `SELECT table_name, column_name, data_type, is_nullable, character_maximum_length, datetime_precision
         FROM information_schema.columns WHERE table_schema = $1 AND table_name = ANY($2)`,
      [db.schema, n8nTables],
    );
    const problems: string[] = [];
    for (const col of readModelColumns().filter((c) => c.table !== "migration_metadata")) {
      const real = actual.find((a) => a.table_name === col.table && a.column_name === col.column);
      if (!real) {
        if (!(col.onlyIn2x && generation === 1)) problems.push(`${col.table}.${col.column} missing`);
        continue;
      }
      const expected = nativeTypeOf(real);
      const modelled = col.nativeType ?? DEFAULT_NATIVE[col.prismaType];
      if (modelled !== expected) problems.push(`${col.table}.${col.column}: model ${modelled}, n8n ${expected}`);
      // A nullable column modelled as required would break reads; the reverse only matters for 2.x-only columns.
      if (real.is_nullable === "YES" && !col.optional) problems.push(`${col.table}.${col.column} is nullable in n8n`);
      if (real.is_nullable === "NO" && col.optional && !col.onlyIn2x) problems.push(`${col.table}.${col.column} is NOT NULL in n8n`);
    }
    expect(problems).toEqual([]);
  });

  it("never models credentials_entity.data", () => {
    expect(readModelColumns().some((c) => c.table === "credentials_entity" && c.column === "data")).toBe(false);
  });

  it("detects the n8n generation and queries through Prisma in the fixture's schema", async () => {
    const client = await connect(db.url);
    const info = await inspectN8nSchema(client, db.schema).finally(() => client.end());
    expect(info.ready).toBe(true);
    expect(info.generation).toBe(generation);
    const owner = await withN8nPrisma(db.url, db.schema, (prisma) =>
      prisma.user.findFirst({ where: { roleSlug: "global:owner" }, select: { id: true } }),
    );
    expect(owner?.id).toMatch(/^[0-9a-f-]{36}$/);
    const count = await withN8nPrisma(db.url, db.schema, (prisma) => prisma.workflowEntity.count());
    expect(count).toBe(0);
  });
});

describe("a database where n8n has not started yet", () => {
  it("is reported as not ready, naming the missing tables", async () => {
    const db = await createTestDatabase("empty");
    try {
      const client = await connect(db.url);
      const info = await inspectN8nSchema(client, "public").finally(() => client.end());
      expect(info.ready).toBe(false);
      expect(info.missingTables).toContain("workflow_entity");
    } finally {
      await db.drop();
    }
  });
});
