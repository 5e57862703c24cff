// Reading workflows for export through Prisma on 1.x, 2.x and schema n8n: summaries with filters, one
// full workflow with tags, owner project and credential references (named as the credential is now),
// and the batch reader: many workflows in a fixed number of queries, each exactly as reading it alone
// gives it, with nothing mixed between workflows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withClient } from "../../../src/db/db.ts";
import { withN8nPrisma } from "../../../src/n8n/prisma.ts";
import { listWorkflowNames, listWorkflowSummaries, readWorkflow, readWorkflowBatches, readWorkflows } from "../../../src/n8n/read.ts";
import { inspectN8nSchema, type N8nSchema } from "../../../src/n8n/schema.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { credentialNode, ownerProjectId, sampleNodes, seedCredential, seedWorkflow, type SeedWorkflow } from "../../../src/samples/seed.ts";

describe.each(["n8n2", "n8n2schema", "n8n1"] as const)("read on %s", (fixture) => {
  let db: TestDatabase;
  let n8n: N8nSchema;
  const prisma = <T>(fn: Parameters<typeof withN8nPrisma<T>>[2]) => withN8nPrisma(db.url, db.schema, fn);
  beforeAll(async () => {
    db = await createTestDatabase(fixture);
    n8n = await withClient(db.url, (client) => inspectN8nSchema(client, db.schema));
  });
  afterAll(() => db.drop());

  it("lists summaries filtered by names, ids, change time and archived state", async () => {
    const old = await seedWorkflow(db, { name: "Old", updatedAt: new Date("2024-01-01T00:00:00Z") });
    const recent = await seedWorkflow(db, { name: "Recent", updatedAt: new Date("2025-06-01T00:00:00.123Z") });
    const archived = await seedWorkflow(db, { name: "Archived", isArchived: true, updatedAt: new Date("2025-07-01T00:00:00Z") });

    const all = await prisma((p) => listWorkflowSummaries(p));
    expect(all.map((s) => s.id)).toEqual([old.id, recent.id]);
    expect(all[1]).toEqual({ id: recent.id, name: "Recent", versionId: recent.versionId, updatedAt: "2025-06-01T00:00:00.123Z", isArchived: false });
    expect((await prisma((p) => listWorkflowSummaries(p, { includeArchived: true }))).map((s) => s.id)).toEqual([old.id, recent.id, archived.id]);
    expect((await prisma((p) => listWorkflowSummaries(p, { changedSince: new Date("2025-01-01T00:00:00Z") }))).map((s) => s.id)).toEqual([recent.id]);
    expect((await prisma((p) => listWorkflowSummaries(p, { names: ["Old"], ids: [archived.id], includeArchived: true }))).map((s) => s.id)).toEqual([
      old.id,
      archived.id,
    ]);
    expect(await prisma((p) => listWorkflowNames(p))).toEqual(["Archived", "Old", "Recent"]);
  });

  it("reads one workflow with its tags, owner project and credentials, 2.x columns only where they exist", async () => {
    const credential = await seedCredential(db, { name: "Current name", type: "httpHeaderAuth" });
    const nodes = [...sampleNodes(), credentialNode("HTTP", { id: credential, name: "Name when picked" }), credentialNode("Gone", { id: "deleted", name: "Deleted" })];
    const wf = await seedWorkflow(db, { nodes, tags: ["z", "a"], pinData: { HTTP: [{ json: {} }] }, nodeGroups: [{ id: "g" }], description: "d" });

    const read = await prisma((p) => readWorkflow(p, n8n.features, wf.id));
    expect(read).toMatchObject({
      id: wf.id,
      name: wf.name,
      versionId: wf.versionId,
      updatedAt: wf.updatedAt.toISOString(),
      description: "d",
      nodes,
      connections: wf.connections,
      settings: wf.settings,
      meta: wf.meta,
      tags: ["a", "z"],
      ownerProject: { id: await ownerProjectId(db), type: "personal" },
      credentials: [
        { nodeIndex: 2, node: "HTTP", type: "httpHeaderAuth", id: credential, name: "Current name" },
        { nodeIndex: 3, node: "Gone", type: "httpHeaderAuth", id: "deleted", name: "Deleted" },
      ],
    });
    expect(read).not.toHaveProperty("pinData");
    if (fixture === "n8n1") expect(read).not.toHaveProperty("nodeGroups");
    else expect(read!.nodeGroups).toEqual([{ id: "g" }]);
    expect((await prisma((p) => readWorkflow(p, n8n.features, wf.id, { includePinData: true })))!.pinData).toEqual({ HTTP: [{ json: {} }] });
    expect(await prisma((p) => readWorkflow(p, n8n.features, "missing"))).toBeUndefined();
  });


  it("reads a batch as one-by-one reads give it: tags, owner, credentials per workflow, missing ids left out", async () => {
    const shared = await seedCredential(db, { name: "Shared now", type: "httpHeaderAuth" });
    const own = await seedCredential(db, { name: "Own", type: "openAiApi" });
    const seeded = [
      await seedWorkflow(db, { name: "Tagged", tags: ["b", "a"], nodes: [...sampleNodes(), credentialNode("HTTP", { id: shared, name: "Old name" })] }),
      await seedWorkflow(db, {
        name: "Two credentials",
        tags: ["a", "c"],
        nodes: [credentialNode("AI", { id: own, name: "Own", type: "openAiApi" }), credentialNode("HTTP", { id: shared, name: "Shared now" })],
        pinData: { AI: [{ json: { pinned: 1 } }] },
      }),
      await seedWorkflow(db, { name: "Unowned, untagged", projectId: null }),
      await seedWorkflow(db, { name: "Archived", isArchived: true, description: "old", nodes: [credentialNode("Gone", { id: "deleted", name: "Deleted" })] }),
    ];
    const ids = [...seeded.map((w) => w.id), "missing", seeded[0]!.id];

    for (const includePinData of [false, true]) {
      const batch = await prisma((p) => readWorkflows(p, n8n.features, ids, { includePinData }));
      expect([...batch.keys()].sort()).toEqual(seeded.map((w) => w.id).sort());
      for (const wf of seeded) {
        const alone = await prisma((p) => readWorkflow(p, n8n.features, wf.id, { includePinData }));
        expect(batch.get(wf.id)).toEqual(alone);
      }
    }

    const batch = await prisma((p) => readWorkflows(p, n8n.features, ids));
    const owner = { id: await ownerProjectId(db), type: "personal" };
    expect(batch.get(seeded[0]!.id)).toMatchObject({
      name: "Tagged",
      versionId: seeded[0]!.versionId,
      tags: ["a", "b"],
      ownerProject: owner,
      credentials: [{ nodeIndex: 2, node: "HTTP", type: "httpHeaderAuth", id: shared, name: "Shared now" }],
    });
    expect(batch.get(seeded[1]!.id)).toMatchObject({
      tags: ["a", "c"],
      ownerProject: owner,
      credentials: [
        { nodeIndex: 0, node: "AI", type: "openAiApi", id: own, name: "Own" },
        { nodeIndex: 1, node: "HTTP", type: "httpHeaderAuth", id: shared, name: "Shared now" },
      ],
    });
    expect(batch.get(seeded[2]!.id)).toMatchObject({ tags: [], ownerProject: undefined, credentials: [] });
    expect(batch.get(seeded[3]!.id)).toMatchObject({
      isArchived: true,
      description: "old",
      credentials: [{ nodeIndex: 0, node: "Gone", id: "deleted", name: "Deleted" }],
    });
    expect(batch.get(seeded[1]!.id)).not.toHaveProperty("pinData");
    if (fixture === "n8n1") expect(batch.get(seeded[1]!.id)).not.toHaveProperty("nodeGroups");
    else expect(batch.get(seeded[1]!.id)!.nodeGroups).toEqual([]);
    expect((await prisma((p) => readWorkflows(p, n8n.features, []))).size).toBe(0);
  });

  it("readWorkflowBatches yields the selection in order, batchSize at a time, each with its workflow (undefined once deleted)", async () => {
    const seeded: SeedWorkflow[] = [];
    for (let i = 0; i < 7; i++) seeded.push(await seedWorkflow(db, { name: `Batch ${i}`, tags: [`b${i % 2}`] }));
    const selection = [...seeded.slice(0, 3), { id: "deleted", name: "Gone" }, ...seeded.slice(3)];
    const batches = await prisma(async (p) => {
      const out = [];
      for await (const batch of readWorkflowBatches(p, n8n.features, selection, { batchSize: 3 })) out.push(batch);
      return out;
    });
    expect(batches.map((batch) => batch.map(({ summary }) => summary.id))).toEqual([
      selection.slice(0, 3).map((s) => s.id),
      selection.slice(3, 6).map((s) => s.id),
      selection.slice(6).map((s) => s.id),
    ]);
    for (const { summary, workflow } of batches.flat()) {
      if (summary.id === "deleted") expect(workflow).toBeUndefined();
      else expect(workflow).toEqual(await prisma((p) => readWorkflow(p, n8n.features, summary.id)));
    }
    expect(batches.flat().find(({ summary }) => summary.id === seeded[1]!.id)!.workflow!.tags).toEqual(["b1"]);
  });
});
