import { describe, expect, it } from "vitest";
import type { LocalMigration } from "../../../src/migrations/files.ts";
import { planMigrations } from "../../../src/migrations/plan.ts";

const local = (version: string): LocalMigration => ({ version, name: "x", file: `${version}_x.sql`, path: `/m/${version}_x.sql` });
const applied = (version: string, digest: string | null = "d") => ({ version, name: "x", digest });

describe("planMigrations", () => {
  it("lists pending files in order, out-of-order ones among them", () => {
    const plan = planMigrations([local("1"), local("2"), local("3"), local("4")], [applied("1"), applied("3")], new Map([["1", "d"], ["3", "d"]]));
    expect(plan.pending.map((m) => m.version)).toEqual(["2", "4"]);
    expect(plan.outOfOrder.map((m) => m.version)).toEqual(["2"]);
    expect(plan.appliedCount).toBe(2);
    expect(plan.drifted).toEqual([]);
  });

  it("reports drift only when both digests are known and differ", () => {
    const plan = planMigrations(
      [local("1"), local("2"), local("3")],
      [applied("1", "old"), applied("2", null), applied("3", "same")],
      new Map([["1", "new"], ["2", "anything"], ["3", "same"]]),
    );
    expect(plan.drifted.map((d) => d.migration.version)).toEqual(["1"]);
  });

  it("reports applied versions without a local file", () => {
    const plan = planMigrations([local("2")], [applied("1"), applied("2")], new Map([["2", "d"]]));
    expect(plan.missingLocal.map((row) => row.version)).toEqual(["1"]);
    expect(plan.pending).toEqual([]);
  });
});
