// The values file through the commands as people run them: validate refuses an ambiguous one (file and
// line), export names stale entries and another environment's values, and --values-file picks the file.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedWorkflow } from "../../../src/samples/seed.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { envFor, newFolder, runScript } from "./helpers.ts";

describe("environment values in the scripts", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase("n8n2");
  });
  afterAll(async () => {
    await db.drop();
  });

  it("validate refuses an ambiguous values file, naming its line", async () => {
    const folder = newFolder();
    writeFileSync(
      path.join(folder.dir, "supabase", "n8n-values.json"),
      `${JSON.stringify({ API_BASE: { match: "prefix", production: "https://api.example.com" }, API_V2: { match: "prefix", production: "https://api.example.com/v2" } }, null, 2)}\n`,
    );
    const run = await runScript("validate", ["--all"], { MIGRATIONS_DIR: "supabase/migrations" }, folder.dir);
    expect(run.code).toBe(1);
    expect(run.stdout.trim()).toBe(
      "supabase/n8n-values.json:2: API_BASE.production is inside API_V2.production: a parameter holding API_V2 would also match API_BASE; make them distinct",
    );
  });

  it("export warns about stale entries and another environment's values (--values-file)", async () => {
    const folder = newFolder();
    const workflow = await seedWorkflow(db, {
      name: "Pasted prod URL",
      nodes: [{ parameters: { url: "https://api.example.com/orders" }, id: "h", name: "Call API", type: "n8n-nodes-base.httpRequest", typeVersion: 4.2, position: [0, 0] }],
    });
    const values = path.join(folder.dir, "values.json");
    writeFileSync(values, JSON.stringify({
      API_BASE: { match: "prefix", development: "http://localhost:3000", production: "https://api.example.com" },
      SHEET_ID: { development: "dev-sheet-0001", production: "prod-sheet-0001" },
    }));
    const run = await runScript("export", ["--env", "development", "--values-file", values, workflow.name], envFor(db, folder), folder.dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`warning: values file: no workflow in development holds API_BASE's development value: update or remove it in ${values}`);
    expect(run.stderr).toContain(`warning: values file: no workflow in development holds SHEET_ID's development value`);
    expect(run.stderr).toContain(
      `warning: "Pasted prod URL" (${workflow.id}), node "Call API": holds API_BASE's production value in development: use the development value there (it would travel as a development value)`,
    );
  });
});
