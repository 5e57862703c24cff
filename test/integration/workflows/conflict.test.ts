// Conflict decisions: the SQL of a migration and resolveConflict (through predictWorkflowMigration, as
// migrate-up --dry-run uses it) must agree, on a table of cases, and conflicts are reported loudly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../../src/db/db.ts";
import { REASONS, type Action } from "../../../src/workflows/conflict.ts";
import { predictWorkflowMigration } from "../../../src/workflows/predict.ts";
import type { ExportedWorkflow } from "../../../src/n8n/workflow.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { editWorkflow, n8nId, seedWorkflow } from "../../../src/samples/seed.ts";
import { applySql, makeWorkflow, renderCase, targetWorkflow } from "./helpers.ts";

const T = (minute: number) => new Date(Date.UTC(2025, 5, 1, 12, minute)).toISOString();
const V = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

interface Case {
  name: string;
  /** brings the target to the state under test; returns the workflow id */
  setup(db: TestDatabase, apply: (wf: Partial<ExportedWorkflow>) => Promise<void>, id: string): Promise<void>;
  incoming: { versionId: string; updatedAt: string };
  expected: Action;
}

const cases: Case[] = [
  { name: "absent", setup: async () => {}, incoming: { versionId: V(1), updatedAt: T(0) }, expected: "insert" },
  {
    name: "same version already here",
    setup: async (_db, apply) => apply({ versionId: V(1), updatedAt: T(0) }),
    incoming: { versionId: V(1), updatedAt: T(0) },
    expected: "unchanged",
  },
  {
    name: "still the synced version, though its clock is newer",
    setup: async (db, apply, id) => {
      await apply({ versionId: V(1), updatedAt: T(0) });
      await db.query(`UPDATE "${db.schema}".workflow_entity SET "updatedAt" = '2030-01-01' WHERE id = $1`, [id]);
    },
    incoming: { versionId: V(2), updatedAt: T(1) },
    expected: "update",
  },
  {
    name: "edited here since the sync, file newer",
    setup: async (db, apply, id) => {
      await apply({ versionId: V(1), updatedAt: T(0) });
      await editWorkflow(db, id, { at: new Date(T(5)) });
    },
    incoming: { versionId: V(2), updatedAt: T(6) },
    expected: "overwrite-conflict",
  },
  {
    name: "edited here since the sync, target newer",
    setup: async (db, apply, id) => {
      await apply({ versionId: V(1), updatedAt: T(0) });
      await editWorkflow(db, id, { at: new Date(T(5)) });
    },
    incoming: { versionId: V(2), updatedAt: T(4) },
    expected: "skip-conflict",
  },
  {
    name: "never synced, file newer",
    setup: async (db, _apply, id) => void (await seedWorkflow(db, { id, updatedAt: new Date(T(3)) })),
    incoming: { versionId: V(2), updatedAt: T(4) },
    expected: "overwrite-conflict",
  },
  {
    name: "never synced, target newer",
    setup: async (db, _apply, id) => void (await seedWorkflow(db, { id, updatedAt: new Date(T(3)) })),
    incoming: { versionId: V(2), updatedAt: T(2) },
    expected: "skip-conflict",
  },
  {
    name: "never synced, same instant: the target wins",
    setup: async (db, _apply, id) => void (await seedWorkflow(db, { id, updatedAt: new Date(T(3)) })),
    incoming: { versionId: V(2), updatedAt: T(3) },
    expected: "skip-conflict",
  },
  {
    name: "a skipped conflict does not count as synced",
    setup: async (db, apply, id) => {
      await apply({ versionId: V(1), updatedAt: T(0) });
      await editWorkflow(db, id, { at: new Date(T(9)) });
      await apply({ versionId: V(2), updatedAt: T(2) });
    },
    incoming: { versionId: V(3), updatedAt: T(3) },
    expected: "skip-conflict",
  },
  {
    name: "the file's version is in this database's history, edited here since (an export applied after a later edit)",
    setup: async (db, _apply, id) => {
      await seedWorkflow(db, { id, versionId: V(4), updatedAt: new Date(T(3)) });
      await editWorkflow(db, id, { at: new Date(T(9)) });
    },
    incoming: { versionId: V(4), updatedAt: T(3) },
    expected: "unchanged",
  },
  {
    name: "the file's version is in the history of a workflow still at the synced version: no step back",
    setup: async (_db, apply) => {
      await apply({ versionId: V(5), updatedAt: T(0) });
      await apply({ versionId: V(6), updatedAt: T(1) });
    },
    incoming: { versionId: V(5), updatedAt: T(0) },
    expected: "unchanged",
  },
  {
    name: "after an overwrite the next file fast-forwards, whatever its clock",
    setup: async (db, apply, id) => {
      await apply({ versionId: V(1), updatedAt: T(0) });
      await editWorkflow(db, id, { at: new Date(T(5)) });
      await apply({ versionId: V(2), updatedAt: T(6) });
    },
    incoming: { versionId: V(3), updatedAt: T(1) },
    expected: "update",
  },
];

describe.each(["n8n2", "n8n2schema", "n8n1"] as const)("conflicts on %s", (fixture) => {
  let db: TestDatabase;
  let fileNo = 0;
  const fileName = () => `20250601${String(++fileNo).padStart(6, "0")}_case.sql`;
  beforeAll(async () => {
    db = await createTestDatabase(fixture);
  });
  afterAll(() => db.drop());

  it.each(cases)("$name -> $expected (SQL and resolveConflict agree)", async ({ setup, incoming, expected }) => {
    const id = n8nId();
    const apply = async (wf: Partial<ExportedWorkflow>) => void (await applySql(db, renderCase(makeWorkflow({ id, ...wf }), fileName())));
    await setup(db, apply, id);
    const before = await targetWorkflow(db, id);

    const sql = renderCase(makeWorkflow({ id, ...incoming, nodes: [{ id: "x", name: `incoming ${incoming.versionId}` }] }), fileName());
    const predicted = await withClient(db.url, (client) => predictWorkflowMigration(client, sql, { schema: db.schema }));
    const [report] = await applySql(db, sql);

    expect(predicted.outcome).toBe(expected);
    expect({ outcome: report!.outcome, reason: report!.reason }).toEqual({
      outcome: { insert: "inserted", update: "updated", unchanged: "unchanged", "skip-conflict": "skipped-conflict", "overwrite-conflict": "overwrote-conflict" }[expected],
      reason: predicted.reason,
    });
    const after = await targetWorkflow(db, id);
    const [meta] = await db.query(`SELECT * FROM "${db.schema}".migration_metadata WHERE migration_file = $1`, [`20250601${String(fileNo).padStart(6, "0")}_case.sql`]);
    expect(meta).toMatchObject({ workflow_id: id, outcome: report!.outcome, incoming_version_id: incoming.versionId });
    expect(meta!.notes).toContain(predicted.reason);
    if (expected === "skip-conflict" || predicted.reason === REASONS.alreadyNewer) expect(after).toEqual(before);
    else expect(after!.versionId).toBe(incoming.versionId);
    // The synced version: what a skipped conflict found, else the file's (also when here is newer).
    expect(meta!.result_version_id).toBe(expected === "skip-conflict" ? before!.versionId : incoming.versionId);
  });

  it("several pending files of one workflow: replayed in order, the prediction of each is the SQL's outcome", async () => {
    const id = n8nId();
    // Never synced here, edited here (V(21) then V(22)); then files bring V(21) (an export made before
    // the last edit), V(22) (the next export) and V(23) (a version from elsewhere).
    await seedWorkflow(db, { id, versionId: V(20), updatedAt: new Date(T(40)) });
    await editWorkflow(db, id, { versionId: V(21), at: new Date(T(41)) });
    await editWorkflow(db, id, { versionId: V(22), at: new Date(T(42)) });
    const files = [
      { versionId: V(21), updatedAt: T(41) },
      { versionId: V(22), updatedAt: T(42) },
      { versionId: V(23), updatedAt: T(43) },
    ];
    const sqls = files.map((f) => renderCase(makeWorkflow({ id, ...f }), fileName()));
    const predicted = [];
    for (const [index, sql] of sqls.entries()) {
      const earlier = files.slice(0, index).map((f) => ({ versionId: f.versionId, updatedAt: new Date(f.updatedAt) }));
      predicted.push(await withClient(db.url, (client) => predictWorkflowMigration(client, sql, { schema: db.schema }, earlier)));
    }
    const reports = [];
    for (const sql of sqls) reports.push(...(await applySql(db, sql)));

    expect(predicted.map((p) => p.outcome)).toEqual(["unchanged", "unchanged", "update"]);
    expect(reports.map((r) => [r.outcome, r.reason])).toEqual(predicted.map((p) => [{ unchanged: "unchanged", update: "updated" }[p.outcome as "unchanged" | "update"], p.reason]));
  });

  it("reports a conflict loudly: a NOTICE starting with CONFLICT", async () => {
    const id = n8nId();
    await seedWorkflow(db, { id, updatedAt: new Date(T(30)) });
    const messages: string[] = [];
    await withClient(db.url, async (client) => {
      client.on("notice", (n) => messages.push(n.message ?? ""));
      await client.query(renderCase(makeWorkflow({ id, versionId: V(7), updatedAt: T(1) }), fileName()));
    });
    expect(messages.filter((m) => m.startsWith("n8n-sync:"))).toEqual([
      expect.stringMatching(/^n8n-sync: CONFLICT: "Case workflow" \(\w+\) kept this database's version: a different version exists here/),
    ]);
  });
});
