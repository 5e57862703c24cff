// diff after a round trip (issue 23, item 2), on the real n8n 2.41.1 fixture: dev's file brings "Team
// Slack" by dev's id, prod's export of the same workflow carries prod's id for it (migrate-up remapped
// it by type and name). That is the same credential: no "repointed", no amber node, as status says "same".
import { afterEach, describe, expect, it } from "vitest";
import { compareMigrations } from "../../../src/diff/compare.ts";
import { credentialNode, editWorkflow, sampleNodes, seedCredential, seedWorkflow } from "../../../src/samples/seed.ts";
import { exportProd } from "../../../src/prod-sync/export-prod.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { exportFrom, migrate, newFolder, steppingClock } from "./helpers.ts";

const HOUR = 60 * 60 * 1000;
const databases: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(databases.splice(0).map((db) => db.drop()));
});

describe("diff after a dev -> prod -> repo round trip", () => {
  it("a credential remapped by type and name is no change", async () => {
    const [dev, prod] = await Promise.all([createTestDatabase("n8n2"), createTestDatabase("n8n2")]);
    databases.push(dev, prod);
    const slack = { name: "Team Slack", type: "slackApi" };
    const [devSlack, prodSlack] = [await seedCredential(dev, slack), await seedCredential(prod, slack)];
    const folder = newFolder();
    const wf = await seedWorkflow(dev, {
      name: "Tell sales",
      updatedAt: new Date(Date.now() - 5 * HOUR),
      nodes: [...sampleNodes("dev"), credentialNode("Tell sales", { id: devSlack, ...slack })],
    });
    await exportFrom(dev, folder, ["Tell sales"], steppingClock(new Date(Date.now() - 4 * HOUR)));
    expect((await migrate(prod, folder)).status).toBe("ok");

    // Edited in prod (one node's parameter), then exported back.
    const [row] = await prod.query<{ nodes: Array<Record<string, any>> }>(`SELECT nodes FROM "${prod.schema}".workflow_entity WHERE id = $1`, [wf.id]);
    expect(row!.nodes.at(-1)!.credentials).toEqual({ slackApi: { id: prodSlack, name: "Team Slack" } });
    const nodes = row!.nodes.map((node) => (node.name === "Tell sales" ? { ...node, parameters: { ...node.parameters, url: "https://example.com/v2" } } : node));
    await editWorkflow(prod, wf.id, { nodes, at: new Date(Date.now() - HOUR) });
    const exported = await exportProd({
      envName: "production",
      databaseUrl: prod.url,
      schema: prod.schema,
      migrationsDir: folder.migrationsDir,
      selection: { days: 7, names: ["Tell sales"], ids: [], includeArchived: false },
    });
    const prodFile = exported.workflows[0]!.file!;

    const { reports } = await compareMigrations({ migrationsDir: folder.migrationsDir, targets: [prodFile], cwd: folder.dir });
    const diff = reports[0]!.diff;
    expect(diff.referencesRepointed).toEqual([]);
    expect(diff.nodesChanged.map((n) => [n.name, n.changes.map((c) => c.path)])).toEqual([["Tell sales", ["parameters.url"]]]);
  });
});
