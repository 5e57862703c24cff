// A workflow name built to fool a terminal (set the window title, ring the bell, erase the line, forge an
// output line) reaches export's, migrate-up's and status's human output only as visible escapes; their
// --json output keeps the name exact.
import { describe, expect, it } from "vitest";
import { editWorkflow, seedWorkflow } from "../../../src/samples/seed.ts";
import { migrationsFolder, perTestDatabases, runScript } from "../migrations/helpers.ts";

const database = perTestDatabases();
const NAME = "Invoice\x1b]0;pwned\x07 sync\r\x1b[2KCONFLICT\nerror: forged line \u202eexe.txt";
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/;

describe("control characters in names", () => {
  it("are escaped in every human line of export, migrate-up and status; JSON stays exact", async () => {
    const dev = await database("n8n2");
    const prod = await database("n8n2");
    const { id } = await seedWorkflow(dev, { name: NAME });
    const folder = migrationsFolder();
    const envOf = (db: typeof dev) => ({ DATABASE_URL: db.url, MIGRATIONS_DIR: folder.migrationsDir, N8N_DB_SCHEMA: db.schema });

    const exported = await runScript("export", ["--all"], envOf(dev), folder.dir);
    expect(exported.code, exported.stderr).toBe(0);
    const applied = await runScript("migrate-up", [], envOf(prod), folder.dir);
    expect(applied.code, applied.stderr).toBe(0);
    // Edited in prod since: status lists the workflow by name.
    await editWorkflow(prod, id);
    const status = await runScript("status", [], envOf(prod), folder.dir);
    for (const run of [exported, applied, status]) {
      const text = run.stdout + run.stderr;
      expect(text).toContain("Invoice\\x1b]0;pwned\\x07 sync\\r\\x1b[2KCONFLICT\\nerror: forged line \\u202eexe.txt");
      expect(text).not.toMatch(RAW);
      expect(text.split("\n").some((line) => line.startsWith("error: forged line"))).toBe(false);
    }

    const json = await runScript("status", ["--json"], envOf(prod), folder.dir);
    const result = JSON.parse(json.stdout) as { workflows: Array<{ workflowId: string; name: string }> };
    expect(result.workflows.find((w) => w.workflowId === id)?.name).toBe(NAME);
  });
});
