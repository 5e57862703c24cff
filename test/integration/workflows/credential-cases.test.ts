// Credential remapping on a table of cases: the migration's SQL (what runs) decides each reference's
// status and the id the node ends up with in the target, and resolveCredential (credentials.ts) gives
// the same answer, on every fixture. A binding to a credential the target does not have is no binding,
// and of two same-named candidates the one with the source's id is kept.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveCredential, type CredentialResolution } from "../../../src/workflows/credentials.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { credentialNode, n8nId, seedCredential } from "../../support/seed.ts";
import { applySql, makeWorkflow, renderCase, targetWorkflow } from "./helpers.ts";

const TARGET = [
  { id: "credTargetSlack1", name: "Slack", type: "slackApi" },
  { id: "credTargetDup001", name: "Dup", type: "slackApi" },
  { id: "credTargetDup002", name: "Dup", type: "slackApi" },
  { id: "credSharedId0009", name: "Renamed", type: "slackApi" },
  { id: "credTargetHeader", name: "Slack", type: "httpHeaderAuth" },
];

type Ref = { id: string | null; type: string; name: string };
const cases: Array<[string, Ref, Record<string, string>, CredentialResolution]> = [
  ["same type and name", { id: "credSource000001", type: "slackApi", name: "Slack" }, {}, { status: "remapped", targetId: "credTargetSlack1" }],
  ["already the same id", { id: "credTargetSlack1", type: "slackApi", name: "Slack" }, {}, { status: "unchanged", targetId: "credTargetSlack1" }],
  ["an explicit binding", { id: "credSource000001", type: "slackApi", name: "Slack" }, { credSource000001: "credTargetHeader" }, { status: "bound", targetId: "credTargetHeader" }],
  ["a binding to an id the target lacks falls back to type + name", { id: "credSource000001", type: "slackApi", name: "Slack" }, { credSource000001: "credNotHere00001" }, { status: "remapped", targetId: "credTargetSlack1" }],
  ["a binding to an id the target lacks, nothing else: missing, not bound", { id: "credSource000005", type: "openAiApi", name: "OpenAI" }, { credSource000005: "credNotHere00001" }, { status: "missing", targetId: "credSource000005" }],
  ["two candidates", { id: "credSource000002", type: "slackApi", name: "Dup" }, {}, { status: "ambiguous", targetId: "credSource000002" }],
  ["two candidates, one with the source id", { id: "credTargetDup002", type: "slackApi", name: "Dup" }, {}, { status: "unchanged", targetId: "credTargetDup002" }],
  ["same id and type, other name", { id: "credSharedId0009", type: "slackApi", name: "Old name" }, {}, { status: "unchanged", targetId: "credSharedId0009" }],
  ["same id, other type", { id: "credTargetHeader", type: "slackApi", name: "Old header" }, {}, { status: "missing", targetId: "credTargetHeader" }],
  ["nothing like it", { id: "credSource000005", type: "openAiApi", name: "Slack" }, {}, { status: "missing", targetId: "credSource000005" }],
];

describe.each(["n8n2", "n8n2schema", "n8n1"] as const)("credential cases on %s", (fixture) => {
  let target: TestDatabase;
  let fileNo = 0;
  beforeAll(async () => {
    target = await createTestDatabase(fixture);
    for (const credential of TARGET) await seedCredential(target, credential);
  });
  afterAll(() => target.drop());

  it.each(cases)("%s (SQL and resolveCredential agree)", async (_name, ref, credentialMap, expected) => {
    const id = n8nId();
    const node = credentialNode("Call", { id: ref.id as string, name: ref.name, type: ref.type });
    const sql = renderCase(makeWorkflow({ id, nodes: [node] }), `20250701${String(++fileNo).padStart(6, "0")}_credential_case.sql`);
    const [report] = await applySql(target, sql, { credentialMap });

    expect(report!.credentials).toEqual([{ node: "Call", type: ref.type, name: ref.name, status: expected.status }]);
    const row = await targetWorkflow(target, id);
    expect(row!.nodes[0].credentials[ref.type].id).toBe(expected.targetId);
    expect(resolveCredential(ref, TARGET, credentialMap)).toEqual(expected);
  });
});
