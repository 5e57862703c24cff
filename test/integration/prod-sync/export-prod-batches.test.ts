// export-prod over more workflows than one read batch: every workflow is read, checked and written once
// with its own header, versions never collide, a secret in a later batch still blocks only its own
// workflow, progress reports each one, and a later run compares with the earlier migrations.
import { afterEach, describe, expect, it } from "vitest";
import { EXPORT_BATCH_SIZE } from "../../../src/workflows/export-pipeline.ts";
import { parseHeader } from "../../../src/workflows/header.ts";
import { editWorkflow, sampleNodes, seedTag, seedWorkflow, type SeedWorkflow } from "../../../src/samples/seed.ts";
import { fakeSecrets } from "../../unit/secrets/fake-secrets.ts";
import { DAY, database, dropDatabases, filesIn, migrationsDir, runExport } from "./helpers.ts";
import { exportProdExitCode } from "../../../src/cli/exit-codes.ts";

afterEach(dropDatabases);

const COUNT = EXPORT_BATCH_SIZE * 2 + 20;
const LEAKY = EXPORT_BATCH_SIZE + 10;

describe("exportProd: more workflows than a batch", () => {
  it(`exports ${COUNT} workflows in batches of ${EXPORT_BATCH_SIZE}: each once, unique versions, a secret blocks only its workflow`, async () => {
    const prod = await database("n8n2");
    const now = Date.now();
    await seedTag(prod, "ops");
    const leakyCode = { parameters: { jsCode: `require('stripe')('${fakeSecrets(5).stripe}')` }, id: "c0de", name: "Code", type: "n8n-nodes-base.code", typeVersion: 2, position: [0, 0] };
    const seeded: SeedWorkflow[] = [];
    for (let start = 0; start < COUNT; start += 20) {
      const chunk = Array.from({ length: 20 }, (_, k) => start + k).map((i) =>
        seedWorkflow(prod, {
          name: `Flow ${i}`,
          tags: ["ops"],
          // oldest first, as export-prod orders them
          updatedAt: new Date(now - DAY + i * 1000),
          nodes: i === LEAKY ? [...sampleNodes(), leakyCode] : sampleNodes(`flow ${i}`),
        }),
      );
      seeded.push(...(await Promise.all(chunk)));
    }
    const dir = await migrationsDir();
    const events: string[] = [];
    const clock = () => new Date(now);

    const result = await runExport(prod, dir, { concurrency: 3, clock, onEvent: (e) => events.push(e.type) });

    expect(result).toMatchObject({ matched: COUNT, written: COUNT - 1, blocked: 1, alreadyExported: 0 });
    expect(exportProdExitCode(result)).toBe(5);
    expect(events).toEqual(["selected", ...Array(COUNT).fill("exported")]);
    expect(result.workflows.map((w) => w.workflowId)).toEqual(seeded.map((w) => w.id));
    expect(result.workflows.filter((w) => w.status === "blocked-by-secrets").map((w) => w.name)).toEqual([`Flow ${LEAKY}`]);
    const files = await filesIn(dir);
    expect(files.map((f) => f.file)).toEqual(result.files);
    expect(new Set(files.map((f) => f.file.slice(0, 14))).size).toBe(COUNT - 1);
    const byId = new Map(seeded.map((w) => [w.id, w]));
    for (const { file, sql } of files) {
      const { header } = parseHeader(sql)!;
      const workflow = byId.get(header.workflowId!)!;
      expect(header).toMatchObject({ migration: file, source: "prod", workflowName: workflow.name, versionId: workflow.versionId });
      expect(file).toBe(`${file.slice(0, 14)}_prod_sync_flow_${workflow.name.slice(5)}.sql`);
    }

    const edited = seeded[COUNT - 5]!;
    await editWorkflow(prod, edited.id, { at: new Date(now) });
    const again = await runExport(prod, dir, { clock: () => new Date(now + 60_000) });
    expect(again).toMatchObject({ matched: COUNT, written: 1, blocked: 1, alreadyExported: COUNT - 2 });
    const rewritten = again.workflows.find((w) => w.workflowId === edited.id)!;
    expect(rewritten.comparedWith).toBe(files.find((f) => parseHeader(f.sql)!.header.workflowId === edited.id)!.file);
    expect(rewritten.diff).toBeDefined();
  });
});
