import { expect, inject, it } from "vitest";
import { createTestDatabase } from "../db.ts";

it("uses the server, then passes or fails as PROBE_OUTCOME says", async () => {
  const db = await createTestDatabase("n8n2");
  try {
    const [row] = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM migrations"); // n8n's own
    expect(row?.n).toBeGreaterThan(0);
    console.log(`probe server: ${inject("serverKind")}`);
  } finally {
    await db.drop();
  }
  expect(process.env.PROBE_OUTCOME).toBe("pass");
});
