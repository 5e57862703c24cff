import { describe, expect, it } from "vitest";
import { migrationFileName, PROD_SYNC_PREFIX, slugify, versionStamp } from "../../../src/workflows/naming.ts";

describe("naming", () => {
  it("stamps the UTC time as YYYYMMDDHHMMSS", () => {
    expect(versionStamp(new Date("2025-10-03T23:59:58.999+02:00"))).toBe("20251003215958");
  });

  it.each([
    ["Agent Webhook Handler", "agent_webhook_handler"],
    ["Café Büro: Übersicht!", "cafe_buro_ubersicht"],
    ["  --$$ weird '\" name \\ 😀 ", "weird_name"],
    ["CON", "con"],
    ["😀😀", "workflow"],
    ["../../etc/passwd", "etc_passwd"],
    ["a".repeat(100), "a".repeat(60)],
  ])("slugs %j as %j", (name, slug) => {
    expect(slugify(name)).toBe(slug);
    expect(slug).toMatch(/^[a-z0-9]+(_[a-z0-9]+)*$/);
  });

  it("bumps the version past files that already use it, and adds the prod prefix", () => {
    const now = new Date("2025-01-01T00:00:00.700Z");
    expect(migrationFileName({ workflowName: "A", now, existing: [] })).toBe("20250101000000_a.sql");
    const existing = ["20250101000000_other.sql", "20250101000001_x.sql", "README.md", "20250101000003_y.sql"];
    expect(migrationFileName({ workflowName: "A", now, existing })).toBe("20250101000002_a.sql");
    expect(migrationFileName({ workflowName: "A", now, existing, prefix: PROD_SYNC_PREFIX })).toBe("20250101000002_prod_sync_a.sql");
    expect(migrationFileName({ workflowName: "A", now: new Date("2025-12-31T23:59:59Z"), existing: ["20251231235959_a.sql"] })).toBe(
      "20260101000000_a.sql",
    );
  });
});
