// Credential references are remapped to the target's credentials by type + name (or an explicit
// binding); missing and ambiguous ones are reported and kept; the SQL agrees with credentials.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveCredential } from "../../support/credential-oracle.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { credentialNode, sampleNodes, seedCredential, seedWorkflow } from "../../../src/samples/seed.ts";
import { applySql, exportSql, readFrom, targetWorkflow } from "./helpers.ts";

describe.each(["n8n2", "n8n1"] as const)("credential references on %s", (fixture) => {
  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    [source, target] = await Promise.all([createTestDatabase(fixture), createTestDatabase(fixture)]);
  });
  afterAll(async () => {
    await Promise.all([source.drop(), target.drop()]);
  });

  it("remaps by type and name, binds explicitly, reports missing and ambiguous ones, and still lands", async () => {
    const header = await seedCredential(source, { name: "Header Auth", type: "httpHeaderAuth" });
    const openAi = await seedCredential(source, { name: "OpenAI", type: "openAiApi" });
    const dup = await seedCredential(source, { name: "Dup", type: "httpHeaderAuth" });
    const bound = await seedCredential(source, { name: "Bound here", type: "httpBasicAuth" });
    const shared = await seedCredential(source, { name: "Shared id", type: "slackApi" });

    const targetHeader = await seedCredential(target, { name: "Header Auth", type: "httpHeaderAuth" });
    await seedCredential(target, { name: "Header Auth", type: "httpBasicAuth" }); // same name, other type
    await seedCredential(target, { name: "Dup", type: "httpHeaderAuth" });
    await seedCredential(target, { name: "Dup", type: "httpHeaderAuth" });
    const targetBound = await seedCredential(target, { name: "Another name", type: "httpBasicAuth" });
    await seedCredential(target, { id: shared, name: "Renamed there", type: "slackApi" });

    // The node still carries the credential's old name: read.ts names it as the source does now.
    const withNul = { ...(credentialNode("Header", { id: header, name: "Old header name" }) as object), parameters: { body: "a\u0000b \\u0000 \u0000" } };
    const nodes = [
      ...sampleNodes("x \u0000 y"),
      withNul,
      credentialNode("OpenAI", { id: openAi, name: "OpenAI", type: "openAiApi" }),
      credentialNode("Dup", { id: dup, name: "Dup" }),
      credentialNode("Bound", { id: bound, name: "Bound here", type: "httpBasicAuth" }),
      credentialNode("Shared", { id: shared, name: "Shared id", type: "slackApi" }),
    ];
    const wf = await seedWorkflow(source, { nodes });
    const credentialMap = { [bound]: targetBound };
    const [report] = await applySql(target, await exportSql(source, wf.id), { credentialMap });

    expect(report!.outcome).toBe("inserted");
    expect(report!.credentials).toEqual([
      { node: "Header", type: "httpHeaderAuth", name: "Header Auth", status: "remapped" },
      { node: "OpenAI", type: "openAiApi", name: "OpenAI", status: "missing" },
      { node: "Dup", type: "httpHeaderAuth", name: "Dup", status: "ambiguous" },
      { node: "Bound", type: "httpBasicAuth", name: "Bound here", status: "bound" },
      { node: "Shared", type: "slackApi", name: "Shared id", status: "unchanged" },
    ]);
    const [meta] = await target.query(`SELECT notes FROM "${target.schema}".migration_metadata WHERE workflow_id = $1`, [wf.id]);
    expect(meta!.notes).toContain(`missing credential "OpenAI" (openAiApi) of node "OpenAI"`);
    expect(meta!.notes).toContain(`ambiguous credential "Dup" (httpHeaderAuth) of node "Dup"`);

    // The rules in credentials.ts give the same answers.
    const targetCredentials = await target.query(`SELECT id, name, type FROM "${target.schema}".credentials_entity`);
    const refs = (await readFrom(source, wf.id)).credentials;
    expect(refs.map((ref) => resolveCredential(ref, targetCredentials as never, credentialMap).status)).toEqual(
      report!.credentials.map((c) => c.status),
    );

    // Only credential ids changed; every other byte of meaning (\u0000 included) is as in the source.
    const expected = structuredClone(nodes) as any[];
    expected[2].credentials.httpHeaderAuth.id = targetHeader;
    expected[5].credentials.httpBasicAuth.id = targetBound;
    const row = await targetWorkflow(target, wf.id);
    expect(row!.nodes).toEqual(expected);
    const [history] = await target.query(`SELECT nodes FROM "${target.schema}".workflow_history WHERE "versionId" = $1`, [wf.versionId]);
    expect(history!.nodes).toEqual(expected);
  });
});
