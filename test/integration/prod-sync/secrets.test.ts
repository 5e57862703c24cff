// Planted secrets in production workflows: caught, masked, the workflow's file not written, exit 5;
// allowed per finding (allowlist) or by --allow-secrets. No value in any file or in the summary.
import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { allowlistEntryFor } from "../../../src/secrets/allowlist.ts";
import { fingerprintSecret } from "../../../src/secrets/scan.ts";
import { editWorkflow, sampleNodes, seedWorkflow } from "../../../src/samples/seed.ts";
import { ALNUM, fakeSecrets, generator, HEX } from "../../unit/secrets/fake-secrets.ts";
import { lookAlikes } from "../../unit/secrets/samples.ts";
import { DAY, database, dropDatabases, filesIn, migrationsDir, runExport } from "./helpers.ts";
import { exportProdExitCode } from "../../../src/cli/exit-codes.ts";

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

    expect(result).toMatchObject({ written: 1, blocked: 1, unallowedFindings: 2 });
    expect(exportProdExitCode(result)).toBe(5);
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
    expect(partial).toMatchObject({ blocked: 1, unallowedFindings: 1 });
    expect(exportProdExitCode(partial)).toBe(5);

    const dir = await migrationsDir();
    const allowed = await runExport(prod, dir, { allowlist: { allow: findings.map(allowlistEntryFor) } });
    expect(allowed).toMatchObject({ written: 2, blocked: 0 });
    expect(exportProdExitCode(allowed)).toBe(0);
    expect(allowed.summary).toContain("(allowed by allowlist)");
    // The file is written as the workflow is: the reviewer accepted those values.
    const leakyFile = (await filesIn(dir)).find((f) => f.file.endsWith("_leaky.sql"))!;
    expect(leakyFile.sql).toContain("Call API");
  });

  it("--allow-secrets writes every workflow and still lists the findings", async () => {
    const { prod } = await seeded();
    const dir = await migrationsDir();
    const result = await runExport(prod, dir, { allowSecrets: true });
    expect(result).toMatchObject({ written: 2, blocked: 0 });
    expect(exportProdExitCode(result)).toBe(0);
    expect(result.summary.match(/allowed by --allow-secrets/g)).toHaveLength(2);
    expect(await readFile(`${dir}/${result.files.find((f) => f.endsWith("_leaky.sql"))}`, "utf8")).toContain("-- Source: prod");
  });
});

// Where n8n users paste secrets, one production workflow each: every one is blocked (no file), listed
// at its node and path, and no value reaches a file, the summary or the result.
describe("exportProd: secrets in every place a workflow carries", () => {
  const r = generator(1616);
  const token = `${r(ALNUM, 30)}7q`;
  const password = `Harbor-${r(ALNUM, 8)}`;
  const telegram = `${r("0123456789", 10)}:AA${r(`${ALNUM}_-`, 33)}`;
  const accountKey = `${r(`${ALNUM}+/`, 86)}==`;
  const discord = r(`${ALNUM}_-`, 68);
  const shortStripe = `sk${"_live"}_${r(ALNUM, 16)}`;
  const code = (name: string, parameters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    parameters,
    id: "5e5e5e5e-0000-4000-8000-00000000000a",
    name,
    type: "n8n-nodes-base.code",
    typeVersion: 2,
    position: [440, 0],
    ...extra,
  });
  const cases: Array<{ name: string; seed: Record<string, unknown>; node: string; path: string; kind: string; secret: string }> = [
    { name: "Code const", seed: { nodes: [...sampleNodes(), code("Code", { jsCode: `const apiKey = "${token}";\nreturn $input.all();` })] }, node: "Code", path: "parameters.jsCode", kind: "generic-secret", secret: token },
    { name: "Telegram URL", seed: { nodes: [...sampleNodes(), code("Send", { url: `https://api.telegram.org/bot${telegram}/sendMessage` })] }, node: "Send", path: "parameters.url", kind: "telegram-bot-token", secret: telegram },
    { name: "Query api_key", seed: { nodes: [...sampleNodes(), code("Get", { url: `=https://api.example.com/v1/items?api_key=${token}&q={{ $json.q }}` })] }, node: "Get", path: "parameters.url", kind: "url-query-secret", secret: token },
    { name: "Discord webhook", seed: { nodes: [...sampleNodes(), code("Notify", { url: `https://discord.com/api/webhooks/${r("0123456789", 18)}/${discord}` })] }, node: "Notify", path: "parameters.url", kind: "discord-webhook", secret: discord },
    { name: "JSON body", seed: { nodes: [...sampleNodes(), code("Login", { jsonBody: `={ "user": "{{ $json.user }}", "password": "${password}" }` })] }, node: "Login", path: "parameters.jsonBody", kind: "password-assignment", secret: password },
    { name: "Azure AccountKey", seed: { nodes: [...sampleNodes(), code("Blob", { connectionString: `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${accountKey};EndpointSuffix=core.windows.net` })] }, node: "Blob", path: "parameters.connectionString", kind: "azure-storage-key", secret: accountKey },
    { name: "Node notes", seed: { nodes: [...sampleNodes(), code("Call", {}, { notes: `until the credential works: ${s.github}` })] }, node: "Call", path: "notes", kind: "github-token", secret: s.github },
    { name: "Description", seed: { description: `Partner API, key: ${token}` }, node: "(workflow)", path: "description", kind: "generic-secret", secret: token },
    { name: "Settings", seed: { settings: { executionOrder: "v1", apiToken: token } }, node: "(workflow)", path: "settings.apiToken", kind: "high-entropy-secret", secret: token },
    { name: "Meta", seed: { meta: { templateCredsSetupCompleted: true, note: s.stripe } }, node: "(workflow)", path: "meta.note", kind: "stripe-key", secret: s.stripe },
    // n8n's tag names have at most 24 characters
    { name: "Tags", seed: { tags: ["billing", shortStripe] }, node: "(workflow)", path: "tags[1]", kind: "stripe-key", secret: shortStripe },
    { name: `Sync ${s.stripe}`, seed: {}, node: "(workflow)", path: "name", kind: "stripe-key", secret: s.stripe },
  ];

  it("blocks each, lists it at its node and path, masked; writes only the clean workflow", async () => {
    const prod = await database("n8n2");
    const updatedAt = new Date(Date.now() - DAY);
    const seeded: Array<{ id: string }> = [];
    for (const c of cases) seeded.push(await seedWorkflow(prod, { name: c.name, updatedAt, ...c.seed }));
    await seedWorkflow(prod, { name: "Clean", updatedAt, description: `Syncs orders ${r(HEX, 8)}; keys live in credentials.` });
    const dir = await migrationsDir();
    const result = await runExport(prod, dir);

    expect(result).toMatchObject({ written: 1, blocked: cases.length, unallowedFindings: cases.length });
    expect(exportProdExitCode(result)).toBe(5);
    expect((await filesIn(dir)).map((f) => f.file)).toEqual([expect.stringMatching(/_prod_sync_clean\.sql$/)]);
    cases.forEach((c, index) => {
      const entry = result.workflows.find((w) => w.workflowId === seeded[index]!.id)!;
      expect(entry.status, c.name).toBe("blocked-by-secrets");
      expect(entry.findings.map(({ node, path, kind, fingerprint }) => ({ node, path, kind, fingerprint })), c.name).toEqual([
        { node: c.node, path: c.path, kind: c.kind, fingerprint: fingerprintSecret(seeded[index]!.id, c.secret) },
      ]);
    });
    // What a reviewer pastes into the allowlist file holds no value either.
    const entries = JSON.stringify(result.workflows.flatMap((w) => w.findings.map(allowlistEntryFor)));
    const everything = [result.summary, JSON.stringify(result), entries, ...(await filesIn(dir)).map((f) => f.sql)].join("\n");
    for (const c of cases) expect(everything, c.name).not.toContain(c.secret);
    expect(result.summary).toContain("### ⛔ Sync sk\\_l… (32 chars)");
  });
});

describe("exportProd: what the summary shows of a blocked workflow", () => {
  it("the diff against its earlier file names a node holding a secret with the secret masked", async () => {
    const prod = await database("n8n2");
    const wf = await seedWorkflow(prod, { name: "Diffed", updatedAt: new Date(Date.now() - DAY) });
    const dir = await migrationsDir();
    expect(await runExport(prod, dir)).toMatchObject({ written: 1 });
    await editWorkflow(prod, wf.id, { nodes: [...wf.nodes, { ...(sampleNodes()[1] as object), name: `Call ${s.github}` }], at: new Date() });

    const result = await runExport(prod, dir);
    expect(result).toMatchObject({ written: 0, blocked: 1 });
    const entry = result.workflows.find((w) => w.workflowId === wf.id)!;
    expect(entry.diff?.nodesAdded.map((node) => node.name)).toEqual(["Call ghp_… (40 chars)"]);
    expect([result.summary, JSON.stringify(result)].join("\n")).not.toContain(s.github);
  });
});

// What real workflows hold and the scanner must let through: the look-alike corpus (near-misses at each
// threshold, placeholder keys with real prefixes, an expression-built password, a test-<uuid> session
// key...), each value in a node parameter named as its field. One false finding would exit 5.
describe("exportProd: look-alikes of secrets", () => {
  it("a workflow holding every look-alike is written, with no finding and exit 0", async () => {
    const prod = await database("n8n2");
    const nodes = lookAlikes().map(([field, text], index) => ({
      parameters: { [field]: text },
      id: `5e5e5e5e-0000-4000-8000-${String(index).padStart(12, "0")}`,
      name: `Look-alike ${index}`,
      type: "n8n-nodes-base.set",
      typeVersion: 3.4,
      position: [index * 20, 0],
    }));
    await seedWorkflow(prod, { name: "Look-alikes", nodes: [...sampleNodes(), ...nodes], updatedAt: new Date(Date.now() - DAY) });
    const dir = await migrationsDir();
    const result = await runExport(prod, dir);
    expect(result.workflows.flatMap((w) => w.findings)).toEqual([]);
    expect(result).toMatchObject({ written: 1, blocked: 0, unallowedFindings: 0 });
    expect(exportProdExitCode(result)).toBe(0);
  });
});
