// Any content round-trips exactly through export -> file -> apply: generated names, descriptions, tags,
// node names and parameters full of quotes, $$, dollar-quote tags, backslashes, newlines, emoji and
// \u0000 escapes (property-based), and 20 MB of nodes.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { credentialNode, n8nId, seedCredential, seedWorkflow } from "../../../src/samples/seed.ts";
import { applySql, exportSql, makeWorkflow, renderCase, targetWorkflow } from "./helpers.ts";

const HOSTILE = ["'", "''", '"', "$$", "$n8n$", "$n8n_1$", "$n8n_sync$", "$n8n", "\\", "\\'", "\\u0000", "\n", "\r\n", "\t",
  "😀", "👩‍👩‍👧", "--", "/*", "*/", ";", "E'\\''", "\u2028", "ä", "\u0000"];

/** Text mixing hostile fragments and arbitrary well-formed Unicode. */
const text = fc
  .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: "grapheme", maxLength: 6 })), { maxLength: 8 })
  .map((parts) => parts.join(""));
/** PostgreSQL text (names, descriptions, tags) cannot hold U+0000; JSON strings can. */
const pgText = (max: number) => text.map((t) => [...t.replace(/\u0000/g, "")].slice(0, max).join(""));
const jsonValue = fc.oneof(text, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => (d === 0 ? 0 : d)) /* JSON has no -0 */, fc.boolean(), fc.constant(null), fc.array(text, { maxLength: 3 }));

describe("hostile content", () => {
  let source: TestDatabase;
  let target: TestDatabase;
  beforeAll(async () => {
    [source, target] = await Promise.all([createTestDatabase("n8n2"), createTestDatabase("n8n2schema")]);
  });
  afterAll(async () => {
    await Promise.all([source.drop(), target.drop()]);
  });

  it("round-trips generated workflows exactly (credential ids remapped, nothing else changed)", async () => {
    await fc.assert(
      fc.asyncProperty(
        pgText(128),
        fc.option(pgText(200), { nil: null }),
        fc.uniqueArray(pgText(24).filter((t) => t.length > 0), { maxLength: 3 }),
        fc.array(fc.record({ name: text, parameters: fc.dictionary(text, jsonValue, { maxKeys: 4 }) }), { minLength: 1, maxLength: 3 }),
        pgText(60).filter((t) => t.length > 0),
        async (name, description, tags, generated, credentialName) => {
          // a type of its own per run: names repeat across runs and shrinking
          const type = `hostile${n8nId()}Api`;
          const sourceCredential = await seedCredential(source, { name: credentialName, type });
          const targetCredential = await seedCredential(target, { name: credentialName, type });
          const nodes: any[] = generated.map((node, i) => ({ id: `n${i}`, name: node.name, type: "n8n-nodes-base.set", parameters: node.parameters }));
          nodes.push({ ...(credentialNode("Uses credential", { id: sourceCredential, name: credentialName, type }) as object), parameters: generated[0]!.parameters });
          const wf = await seedWorkflow(source, { name, description, tags, nodes, settings: { note: name } });

          const sql = await exportSql(source, wf.id);
          const [report] = await applySql(target, sql);
          expect(report).toMatchObject({ outcome: "inserted", name });

          const row = await targetWorkflow(target, wf.id);
          const expected = structuredClone(nodes);
          expected.at(-1).credentials[type].id = targetCredential;
          expect(row!.nodes).toEqual(expected);
          expect(row!.name).toBe(name);
          expect(row!.description).toBe(description);
          expect(row!.settings).toEqual({ note: name });
          const landedTags = await target.query(
            `SELECT t.name FROM n8n.workflows_tags wt JOIN n8n.tag_entity t ON t.id = wt."tagId" WHERE wt."workflowId" = $1`,
            [wf.id],
          );
          expect(landedTags.map((t) => t.name).sort()).toEqual([...tags].sort());
        },
      ),
      { numRuns: 15 },
    );
  });

  it("round-trips 20 MB of nodes", async () => {
    const filler = "x'$$\\ \u0000 😀 $n8n$ \n".repeat(2_000);
    const nodes = Array.from({ length: 500 }, (_, i) => ({ id: `n${i}`, name: `Node ${i}`, type: "n8n-nodes-base.code", parameters: { jsCode: filler, i } }));
    const credential = await seedCredential(target, { name: "Big", type: "httpHeaderAuth" });
    nodes.push(credentialNode("Last", { id: "sourceId", name: "Big" }) as any);
    const workflow = makeWorkflow({ id: n8nId(), nodes, credentials: [{ nodeIndex: 500, node: "Last", type: "httpHeaderAuth", id: "sourceId", name: "Big" }] });
    const sql = renderCase(workflow, "20250101000000_big.sql");
    expect(sql.length).toBeGreaterThan(20_000_000);
    await applySql(target, sql);
    const row = await targetWorkflow(target, workflow.id);
    const expected = structuredClone(nodes) as any[];
    expected[500].credentials.httpHeaderAuth.id = credential;
    expect(row!.nodes).toEqual(expected);
  });
});
