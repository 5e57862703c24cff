// Credential remapping on a table of cases: the migration's SQL (what runs) decides each reference's
// status and the id the node ends up with in the target, and resolveCredential (credentials.ts) gives
// the same answer, on every fixture. A binding to a credential the target does not have is no binding,
// and of two same-named candidates the one with the source's id is kept.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveCredential } from "../../support/credential-oracle.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { credentialNode, n8nId, seedCredential } from "../../../src/samples/seed.ts";
import { CREDENTIAL_CASES, TARGET } from "../../unit/workflows/credential-cases.ts";
import { applySql, makeWorkflow, renderCase, targetWorkflow } from "./helpers.ts";

describe.each(["n8n2", "n8n2schema", "n8n1"] as const)("credential cases on %s", (fixture) => {
  let target: TestDatabase;
  let fileNo = 0;
  beforeAll(async () => {
    target = await createTestDatabase(fixture);
    for (const credential of TARGET) await seedCredential(target, credential);
  });
  afterAll(() => target.drop());

  it.each(CREDENTIAL_CASES)("%s (SQL and resolveCredential agree)", async (_name, ref, credentialMap, expected) => {
    const id = n8nId();
    const node = credentialNode("Call", { id: ref.id as string, name: ref.name, type: ref.type }); // id null: a node without one
    const sql = renderCase(makeWorkflow({ id, nodes: [node] }), `20250701${String(++fileNo).padStart(6, "0")}_credential_case.sql`);
    const [report] = await applySql(target, sql, { credentialMap });

    expect(report!.credentials).toEqual([{ node: "Call", type: ref.type, name: ref.name, status: expected.status }]);
    const row = await targetWorkflow(target, id);
    expect(row!.nodes[0].credentials[ref.type].id).toBe(expected.targetId);
    expect(resolveCredential(ref, TARGET, credentialMap)).toEqual(expected);
  });
});
