// Planted secrets in production workflows: caught, masked, the workflow's file not written, exit 5;
// allowed per finding (allowlist) or by --allow-secrets. No value in any file or in the summary.
import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { allowlistEntryFor } from "../../../src/secrets/allowlist.ts";
import { fingerprintSecret } from "../../../src/secrets/scan.ts";
import { sampleNodes, seedWorkflow } from "../../support/seed.ts";
import { fakeSecrets } from "../../unit/secrets/fake-secrets.ts";
import { DAY, database, dropDatabases, filesIn, migrationsDir, runExport } from "./helpers.ts";

afterEach(dropDatabases);

const s = fakeSecrets(41);

function leakyNodes(): unknown[] {
  return [
    ...sampleNodes(),
    {
      parameters: {
        url: "https://api.example.com/orders",
        sendHeaders: true,
        headerParameters: { parameters: [{ name: "Authorization", value: `Bearer ${s.randomToken}` }] },
      },
      id: "5e5e5e5e-0000-4000-8000-000000000001",
      name: "Call API",
      type: "n8n-nodes-base.httpRequest",
      typeVersion: 4.2,
      position: [440, 0],
    },
    {
      parameters: { jsCode: `const stripe = require('stripe')('${s.stripe}');\nreturn [];` },
      id: "5e5e5e5e-0000-4000-8000-000000000002",
      name: "Code",
      type: "n8n-nodes-base.code",
      typeVersion: 2,
      position: [660, 0],
    },
  ];
}

async function seeded() {
  const prod = await database("n8n2");
  const leaky = await seedWorkflow(prod, { name: "Leaky", nodes: leakyNodes(), updatedAt: new Date(Date.now() - DAY) });
  const clean = await seedWorkflow(prod, { name: "Clean", updatedAt: new Date(Date.now() - DAY) });
  return { prod, leaky, clean };
}

describe("exportProd: secrets", () => {
  it("a planted secret blocks that workflow's file, is listed masked, and the run exits 5; other workflows are written", async () => {
    const { prod, leaky } = await seeded();
    const dir = await migrationsDir();
    const result = await runExport(prod, dir);

    expect(result).toMatchObject({ written: 1, blocked: 1, unallowedFindings: 2, exitCode: 5 });
    const files = await filesIn(dir);
    expect(files.map((f) => f.file)).toEqual([expect.stringMatching(/_prod_sync_clean\.sql$/)]);
    const entry = result.workflows.find((w) => w.workflowId === leaky.id)!;
    expect(entry.status).toBe("blocked-by-secrets");
    expect(entry.file).toBeUndefined();
    expect(entry.findings).toEqual([
      {
        workflowId: leaky.id,
        workflowName: "Leaky",
        node: "Call API",
        path: "parameters.headerParameters.parameters[0].value",
        kind: "bearer-token",
        masked: `${s.randomToken.slice(0, 4)}… (${s.randomToken.length} chars)`,
        fingerprint: fingerprintSecret(leaky.id, s.randomToken),
      },
      {
        workflowId: leaky.id,
        workflowName: "Leaky",
        node: "Code",
        path: "parameters.jsCode",
        kind: "stripe-key",
        masked: `${s.stripe.slice(0, 4)}… (${s.stripe.length} chars)`,
        fingerprint: fingerprintSecret(leaky.id, s.stripe),
      },
    ]);
    const everything = [result.summary, JSON.stringify(result), ...files.map((f) => f.sql)].join("\n");
    expect(everything).not.toContain(s.randomToken);
    expect(everything).not.toContain(s.stripe);
    expect(result.summary).toContain("`Call API` `parameters.headerParameters.parameters[0].value`: bearer-token");
    expect(result.summary).toContain("(**blocks this workflow**)");
  });

  it("an allowlist entry per finding lets the file through; a partial allowlist does not", async () => {
    const { prod, leaky } = await seeded();
    const blocked = await runExport(prod, await migrationsDir());
    const findings = blocked.workflows.find((w) => w.workflowId === leaky.id)!.findings;

    const partial = await runExport(prod, await migrationsDir(), { allowlist: { allow: [allowlistEntryFor(findings[0]!)] } });
    expect(partial).toMatchObject({ blocked: 1, unallowedFindings: 1, exitCode: 5 });

    const dir = await migrationsDir();
    const allowed = await runExport(prod, dir, { allowlist: { allow: findings.map(allowlistEntryFor) } });
    expect(allowed).toMatchObject({ written: 2, blocked: 0, exitCode: 0 });
    expect(allowed.summary).toContain("(allowed by allowlist)");
    // The file is written as the workflow is: the reviewer accepted those values.
    const leakyFile = (await filesIn(dir)).find((f) => f.file.endsWith("_leaky.sql"))!;
    expect(leakyFile.sql).toContain("Call API");
  });

  it("--allow-secrets writes every workflow and still lists the findings", async () => {
    const { prod } = await seeded();
    const dir = await migrationsDir();
    const result = await runExport(prod, dir, { allowSecrets: true });
    expect(result).toMatchObject({ written: 2, blocked: 0, exitCode: 0 });
    expect(result.summary.match(/allowed by --allow-secrets/g)).toHaveLength(2);
    expect(await readFile(`${dir}/${result.files.find((f) => f.endsWith("_leaky.sql"))}`, "utf8")).toContain("-- Source: prod");
  });
});
