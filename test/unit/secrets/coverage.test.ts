// What the scanner must catch (each rule family, each place n8n users paste secrets) and what it must
// never report (the look-alike corpus, every workflow the bench generates, the n8n fixtures).
import { describe, expect, it } from "vitest";
import { generateWorkflows } from "../../../bench/generate.ts";
import { scanWorkflowSecrets, WORKFLOW_LEVEL, type ScannedWorkflow } from "../../../src/secrets/scan.ts";
import { scanText } from "../../../src/secrets/text.ts";
import { FIXTURES, fixtureSql, type FixtureName } from "../../../src/samples/sample-databases.ts";
import { ALNUM, generator, HEX } from "./fake-secrets.ts";
import { lookAlikes, secretSamples } from "./samples.ts";

const samples = secretSamples();

describe("rule families", () => {
  const families = [...new Set(samples.map((s) => s.family))];

  it("covers gitleaks' families that occur in workflows, with at least two samples each", () => {
    expect(families.sort()).toEqual(["ai", "chat", "cloud", "connection-string", "email-sms", "field", "generic", "jwt", "payment", "private-key", "url", "vcs"]);
    for (const family of families) expect(samples.filter((s) => s.family === family).length, family).toBeGreaterThanOrEqual(2);
  });

  for (const sample of samples) {
    it(`${sample.family}: ${sample.kind} in ${JSON.stringify(sample.text.slice(0, 60))}`, () => {
      expect(scanText(sample.field, sample.text)).toContainEqual({ kind: sample.kind, secret: sample.secret });
    });
  }

  it("reports each secret of a text once, in order", () => {
    const [a, b] = [samples.find((s) => s.kind === "stripe-key")!, samples.find((s) => s.kind === "github-token")!];
    const code = `const stripe = require('stripe')('${a.secret}');\nconst gh = "${b.secret}";\nconst again = "${b.secret}";`;
    expect(scanText("jsCode", code).map((hit) => hit.kind)).toEqual(["stripe-key", "github-token", "github-token"]);
  });
});

describe("look-alikes", () => {
  const corpus = lookAlikes();

  it("has 200+ values, none reported", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    const reported = corpus.filter(([field, text]) => scanText(field, text).length > 0);
    expect(reported).toEqual([]);
  });

  it("every workflow the bench generates has no finding", () => {
    // bench/run.ts seeds the first N of this sequence (N up to its largest --sizes, 5000).
    const findings = generateWorkflows(5000).flatMap((workflow) => scanWorkflowSecrets(workflow));
    expect(findings).toEqual([]);
  });

  it("the n8n fixtures (real n8n databases after first start) have no finding", () => {
    for (const name of Object.keys(FIXTURES) as FixtureName[]) {
      const lines = fixtureSql(name)?.split("\n") ?? [];
      expect(lines.filter((line) => scanText(undefined, line).length > 0), name).toEqual([]);
    }
  });
});

// The places of a workflow file where n8n users paste secrets: two realistic samples each, found at the
// node and path a reviewer can go to.
describe("places in a workflow", () => {
  const r = generator(23);
  const token = () => `${r(ALNUM, 30)}9z`;
  const hex = () => r(HEX, 40);
  const wf = (partial: Partial<ScannedWorkflow>): ScannedWorkflow => ({ id: "wfPlaces", name: "Orders", nodes: [], ...partial });
  const node = (name: string, fields: Record<string, unknown>) => ({ id: "5e5e5e5e-0000-4000-8000-000000000001", name, type: "n8n-nodes-base.code", typeVersion: 2, position: [0, 0], ...fields });
  const pat = () => `gh${"p"}_${r(ALNUM, 36)}`;
  const slackPath = `T${r(ALNUM, 10)}/B${r(ALNUM, 10)}/${r(ALNUM, 24)}`;
  const telegram = () => `${r("0123456789", 10)}:AA${r(`${ALNUM}_-`, 33)}`;

  const places: Array<[string, ScannedWorkflow, { node: string; path: string; kind: string }]> = [
    ["Code node (JavaScript)", wf({ nodes: [node("Code", { parameters: { jsCode: `const apiKey = "${token()}";\nreturn [];` } })] }), { node: "Code", path: "parameters.jsCode", kind: "generic-secret" }],
    ["Code node (JavaScript)", wf({ nodes: [node("Code", { parameters: { jsCode: `const res = await fetch(url, {\n  headers: { 'x-api-token': '${token()}' },\n});` } })] }), { node: "Code", path: "parameters.jsCode", kind: "generic-secret" }],
    ["Code node (Python)", wf({ nodes: [node("Code", { parameters: { language: "python", pythonCode: `client_secret = "${hex()}"\nreturn _input.all()` } })] }), { node: "Code", path: "parameters.pythonCode", kind: "generic-secret" }],
    ["Code node (Python)", wf({ nodes: [node("Code", { parameters: { language: "python", pythonCode: `db_password = 'Sup3r-${r(ALNUM, 8)}'` } })] }), { node: "Code", path: "parameters.pythonCode", kind: "password-assignment" }],
    ["URL path (Telegram)", wf({ nodes: [node("Send", { parameters: { url: `https://api.telegram.org/bot${telegram()}/sendMessage` } })] }), { node: "Send", path: "parameters.url", kind: "telegram-bot-token" }],
    ["URL path (Telegram)", wf({ nodes: [node("Send", { parameters: { url: `=https://api.telegram.org/bot${telegram()}/sendMessage?chat_id={{ $json.chat }}` } })] }), { node: "Send", path: "parameters.url", kind: "telegram-bot-token" }],
    ["URL query", wf({ nodes: [node("Get", { parameters: { url: `https://api.example.com/v1/orders?status=open&api_key=${token()}` } })] }), { node: "Get", path: "parameters.url", kind: "url-query-secret" }],
    ["URL query", wf({ nodes: [node("Get", { parameters: { url: `=https://api.example.com/v1/{{ $json.id }}?token=${token()}` } })] }), { node: "Get", path: "parameters.url", kind: "url-query-secret" }],
    ["URL user part (Sentry DSN)", wf({ nodes: [node("Code", { parameters: { jsCode: `Sentry.init({ dsn: "https://${r(HEX, 32)}@o4504.ingest.sentry.io/4505" });` } })] }), { node: "Code", path: "parameters.jsCode", kind: "sentry-dsn" }],
    ["URL user part (password)", wf({ nodes: [node("Run", { parameters: { command: `git clone https://deploy:${r(ALNUM, 14)}@git.example.com/ops/infra.git` } })] }), { node: "Run", path: "parameters.command", kind: "connection-string-password" }],
    ["chat webhook URL (Discord)", wf({ nodes: [node("Notify", { parameters: { url: `https://discord.com/api/webhooks/${r("0123456789", 18)}/${r(`${ALNUM}_-`, 68)}` } })] }), { node: "Notify", path: "parameters.url", kind: "discord-webhook" }],
    ["chat webhook URL (Teams)", wf({ nodes: [node("Notify", { parameters: { url: `https://acme.webhook.office.com/webhookb2/${r(HEX, 8)}-1111-4222-8333-${r(HEX, 12)}@${r(HEX, 8)}-1111-4222-8333-${r(HEX, 12)}/IncomingWebhook/${r(HEX, 32)}/${r(HEX, 8)}-1111-4222-8333-${r(HEX, 12)}` } })] }), { node: "Notify", path: "parameters.url", kind: "teams-webhook" }],
    ["expression JSON body", wf({ nodes: [node("Login", { parameters: { jsonBody: `={\n  "username": "{{ $json.user }}",\n  "password": "Winter-${r(ALNUM, 6)}"\n}` } })] }), { node: "Login", path: "parameters.jsonBody", kind: "password-assignment" }],
    ["expression JSON body", wf({ nodes: [node("Login", { parameters: { jsonBody: `={{ JSON.stringify({ client_id: $json.id, client_secret: "${token()}" }) }}` } })] }), { node: "Login", path: "parameters.jsonBody", kind: "generic-secret" }],
    ["header list", wf({ nodes: [node("HTTP", { parameters: { headerParameters: { parameters: [{ name: "Accept", value: "application/json" }, { name: "X-API-Key", value: token() }] } } })] }), { node: "HTTP", path: "parameters.headerParameters.parameters[1].value", kind: "high-entropy-secret" }],
    ["header list", wf({ nodes: [node("HTTP", { parameters: { headerParameters: { parameters: [{ name: "Authorization", value: `Bearer ${token()}` }] } } })] }), { node: "HTTP", path: "parameters.headerParameters.parameters[0].value", kind: "bearer-token" }],
    ["query list", wf({ nodes: [node("HTTP", { parameters: { queryParameters: { parameters: [{ name: "access_token", value: token() }] } } })] }), { node: "HTTP", path: "parameters.queryParameters.parameters[0].value", kind: "high-entropy-secret" }],
    ["query list", wf({ nodes: [node("HTTP", { parameters: { queryParameters: { parameters: [{ name: "limit", value: "50" }, { name: "apikey", value: hex() }] } } })] }), { node: "HTTP", path: "parameters.queryParameters.parameters[1].value", kind: "high-entropy-secret" }],
    ["body list", wf({ nodes: [node("HTTP", { parameters: { bodyParameters: { parameters: [{ name: "client_secret", value: token() }] } } })] }), { node: "HTTP", path: "parameters.bodyParameters.parameters[0].value", kind: "high-entropy-secret" }],
    ["body list", wf({ nodes: [node("HTTP", { parameters: { bodyParameters: { parameters: [{ name: "password", value: `Autumn-${r(ALNUM, 6)}` }] } } })] }), { node: "HTTP", path: "parameters.bodyParameters.parameters[0].value", kind: "password-field" }],
    ["Set node assignment", wf({ nodes: [node("Set", { parameters: { assignments: { assignments: [{ id: "a1", name: "apiToken", value: token(), type: "string" }] } } })] }), { node: "Set", path: "parameters.assignments.assignments[0].value", kind: "high-entropy-secret" }],
    ["Set node assignment", wf({ nodes: [node("Set", { parameters: { assignments: { assignments: [{ id: "a1", name: "stripe", value: `sk${"_live"}_${r(ALNUM, 24)}`, type: "string" }] } } })] }), { node: "Set", path: "parameters.assignments.assignments[0].value", kind: "stripe-key" }],
    ["sticky note", wf({ nodes: [node("Sticky Note", { type: "n8n-nodes-base.stickyNote", parameters: { content: `## Setup\nAPI key for staging: \`${token()}\`` } })] }), { node: "Sticky Note", path: "parameters.content", kind: "generic-secret" }],
    ["sticky note", wf({ nodes: [node("Sticky Note", { type: "n8n-nodes-base.stickyNote", parameters: { content: `Webhook: https://hooks.slack.com/services/T${r(ALNUM, 10)}/B${r(ALNUM, 10)}/${r(ALNUM, 24)}` } })] }), { node: "Sticky Note", path: "parameters.content", kind: "slack-webhook" }],
    ["node notes", wf({ nodes: [node("HTTP", { notes: `temporary: token ${pat()} until the credential works` })] }), { node: "HTTP", path: "notes", kind: "github-token" }],
    ["node notes", wf({ nodes: [node("HTTP", { notes: `api_key=${token()}` })] }), { node: "HTTP", path: "notes", kind: "generic-secret" }],
    // A name is printed with each finding: the secret in it is shown masked.
    ["node name", wf({ nodes: [node(`Call ${pat()}`, {})] }), { node: "Call ghp_… (40 chars)", path: "name", kind: "github-token" }],
    ["node name", wf({ nodes: [node(`Post to hooks.slack.com/services/${slackPath}`, {})] }), { node: `Post to hooks.slack.com/services/${slackPath.slice(0, 4)}… (48 chars)`, path: "name", kind: "slack-webhook" }],
    ["workflow name", wf({ name: `Sync (key ${pat()})` }), { node: WORKFLOW_LEVEL, path: "name", kind: "github-token" }],
    ["workflow name", wf({ name: `Stripe sk${"_live"}_${r(ALNUM, 24)}` }), { node: WORKFLOW_LEVEL, path: "name", kind: "stripe-key" }],
    ["workflow description", wf({ description: `Calls the partner API.\nAPI key: ${token()}` }), { node: WORKFLOW_LEVEL, path: "description", kind: "generic-secret" }],
    ["workflow description", wf({ description: `DB: postgresql://etl:${r(ALNUM, 12)}@db.internal/etl` }), { node: WORKFLOW_LEVEL, path: "description", kind: "connection-string-password" }],
    ["settings", wf({ settings: { executionOrder: "v1", errorWorkflow: "x", note: `token: ${pat()}` } }), { node: WORKFLOW_LEVEL, path: "settings.note", kind: "github-token" }],
    ["settings", wf({ settings: { executionOrder: "v1", webhookSecret: token() } }), { node: WORKFLOW_LEVEL, path: "settings.webhookSecret", kind: "high-entropy-secret" }],
    ["meta", wf({ meta: { templateCredsSetupCompleted: true, notes: `xo${"xb"}-${r("0123456789", 12)}-${r("0123456789", 12)}-${r(ALNUM, 24)}` } }), { node: WORKFLOW_LEVEL, path: "meta.notes", kind: "slack-token" }],
    ["meta", wf({ meta: { instanceId: r(HEX, 64), apiToken: token() } }), { node: WORKFLOW_LEVEL, path: "meta.apiToken", kind: "high-entropy-secret" }],
    ["tags", wf({ tags: ["billing", pat()] }), { node: WORKFLOW_LEVEL, path: "tags[1]", kind: "github-token" }],
    ["tags", wf({ tags: [`sk${"_live"}_${r(ALNUM, 24)}`] }), { node: WORKFLOW_LEVEL, path: "tags[0]", kind: "stripe-key" }],
    ["pinData", wf({ pinData: { Webhook: [{ json: { headers: { authorization: `Bearer ${token()}` } } }] } }), { node: WORKFLOW_LEVEL, path: "pinData.Webhook[0].json.headers.authorization", kind: "bearer-token" }],
    ["pinData", wf({ pinData: { "Get user": [{ json: { id: 1, password: `Spring-${r(ALNUM, 6)}` } }] } }), { node: WORKFLOW_LEVEL, path: 'pinData["Get user"][0].json.password', kind: "password-field" }],
  ];

  for (const [place, workflow, expected] of places) {
    it(`${place}: ${expected.kind} at ${expected.path}`, () => {
      expect(scanWorkflowSecrets(workflow).map(({ node, path, kind }) => ({ node, path, kind }))).toEqual([expected]);
    });
  }

  it("has two samples per place", () => {
    const count = new Map<string, number>();
    for (const [place] of places) count.set(place.replace(/ \(.*\)$/, ""), (count.get(place.replace(/ \(.*\)$/, "")) ?? 0) + 1);
    for (const [place, n] of count) expect(n, place).toBeGreaterThanOrEqual(2);
  });

  it("findings never hold a value: only a masked preview and a fingerprint", () => {
    const findings = places.flatMap(([, workflow]) => scanWorkflowSecrets(workflow));
    expect(findings).toHaveLength(places.length);
    const secretsOfAllSamples = places.flatMap(([, workflow]) => scanTextSecrets(workflow));
    const text = JSON.stringify(findings);
    for (const secret of secretsOfAllSamples) expect(text).not.toContain(secret);
  });
});

/** The raw secrets of a workflow's findings, found again from its texts (for the leak check). */
function scanTextSecrets(workflow: ScannedWorkflow): string[] {
  const texts: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === "string") texts.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === "object") Object.values(value).forEach(collect);
  };
  collect(workflow);
  return texts.flatMap((text) => scanText("value", text).map((hit) => hit.secret));
}
