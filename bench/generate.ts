// Realistic n8n workflows for the benchmark, generated deterministically from a seed: a Webhook or
// Schedule trigger followed by 5-15 nodes (Code, HTTP Request, IF, Set) with the kind of parameters
// people write (JS bodies, headers and query strings, conditions, expressions). Pure: no I/O here.

export interface GeneratedWorkflow {
  id: string;
  name: string;
  nodes: unknown[];
  connections: Record<string, { main: Array<Array<{ node: string; type: "main"; index: number }>> }>;
  settings: Record<string, unknown>;
  versionId: string;
  createdAt: string;
  updatedAt: string;
  tags: string[];
}

const TAGS = ["billing", "crm", "ops", "marketing", "support", "etl", "alerts", "finance"];
const SYSTEMS = ["Stripe", "HubSpot", "Zendesk", "Slack", "Postgres", "Shopify", "Jira", "Airtable", "Salesforce", "Mailchimp"];
const ACTIONS = ["Sync", "Enrich", "Notify", "Import", "Reconcile", "Escalate", "Archive", "Score", "Route", "Digest"];
const OBJECTS = ["orders", "invoices", "contacts", "tickets", "leads", "refunds", "subscriptions", "events", "payouts", "users"];
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** mulberry32: small, fast, good enough for test data, and the same sequence on every machine */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Random {
  constructor(readonly next: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chars(length: number, alphabet = ALNUM): string {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
  uuid(): string {
    const hex = this.chars(32, "0123456789abcdef");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

export function generateWorkflows(count: number, options: { seed?: number; now?: Date } = {}): GeneratedWorkflow[] {
  const random = new Random(prng(options.seed ?? 42));
  const now = (options.now ?? new Date("2026-01-15T12:00:00Z")).getTime();
  const names = new Set<string>();
  const workflows: GeneratedWorkflow[] = [];
  for (let i = 0; i < count; i++) {
    let name = `${random.pick(ACTIONS)} ${random.pick(SYSTEMS)} ${random.pick(OBJECTS)}`;
    if (names.has(name)) name = `${name} #${i}`;
    names.add(name);
    const updatedAt = new Date(now - random.int(0, 30 * 24 * 3600) * 1000);
    workflows.push({
      id: random.chars(16),
      name,
      ...graph(random, name),
      settings: { executionOrder: "v1", saveManualExecutions: true, callerPolicy: "workflowsFromSameOwner", timezone: "Europe/Berlin" },
      versionId: random.uuid(),
      createdAt: new Date(updatedAt.getTime() - random.int(1, 90) * 24 * 3600 * 1000).toISOString(),
      updatedAt: updatedAt.toISOString(),
      tags: [...new Set([random.pick(TAGS), random.pick(TAGS)])],
    });
  }
  return workflows;
}

function graph(random: Random, workflowName: string): Pick<GeneratedWorkflow, "nodes" | "connections"> {
  const nodes: Array<{ name: string; node: Record<string, unknown> }> = [];
  nodes.push(trigger(random, workflowName));
  const steps = random.int(5, 15);
  const kinds = [code, http, condition, set] as const;
  for (let i = 0; i < steps; i++) nodes.push(random.pick(kinds)(random, i + 1));
  nodes.forEach((entry, index) => (entry.node.position = [index * 220, entry.node.type === "n8n-nodes-base.if" ? 0 : 40 * (index % 3)]));

  const connections: GeneratedWorkflow["connections"] = {};
  for (let i = 0; i + 1 < nodes.length; i++) {
    const from = nodes[i]!;
    const to = { node: nodes[i + 1]!.name, type: "main" as const, index: 0 };
    // An IF's false branch skips a step, like the usual "only enrich active ones" shape.
    const skip = nodes[i + 2];
    connections[from.name] =
      from.node.type === "n8n-nodes-base.if"
        ? { main: [[to], skip ? [{ node: skip.name, type: "main", index: 0 }] : []] }
        : { main: [[to]] };
  }
  return { nodes: nodes.map((entry) => entry.node), connections };
}

function trigger(random: Random, workflowName: string): { name: string; node: Record<string, unknown> } {
  if (random.next() < 0.5) {
    return {
      name: "Webhook",
      node: {
        parameters: { httpMethod: "POST", path: `${slug(workflowName)}-${random.chars(6).toLowerCase()}`, responseMode: "onReceived", options: { rawBody: false } },
        id: random.uuid(),
        name: "Webhook",
        type: "n8n-nodes-base.webhook",
        typeVersion: 2,
        webhookId: random.uuid(),
      },
    };
  }
  return {
    name: "Schedule Trigger",
    node: {
      parameters: { rule: { interval: [{ field: "hours", hoursInterval: random.int(1, 12), triggerAtMinute: random.int(0, 59) }] } },
      id: random.uuid(),
      name: "Schedule Trigger",
      type: "n8n-nodes-base.scheduleTrigger",
      typeVersion: 1.2,
    },
  };
}

function code(random: Random, step: number): { name: string; node: Record<string, unknown> } {
  const field = random.pick(["amount", "email", "status", "createdAt", "country", "plan"]);
  const lines = [
    "// Normalise the incoming records before they reach the API.",
    "const out = [];",
    "for (const item of $input.all()) {",
    "  const record = item.json;",
    `  if (record.${field} === undefined || record.${field} === null) continue;`,
    `  const key = String(record.id ?? record.${field}).trim().toLowerCase();`,
    "  out.push({",
    "    json: {",
    "      ...record,",
    "      key,",
    `      ${field}: typeof record.${field} === 'string' ? record.${field}.trim() : record.${field},`,
    "      processedAt: new Date().toISOString(),",
    `      note: "step ${step}: it's \\"clean\\" now",`,
    "    },",
    "  });",
    "}",
  ];
  for (let i = random.int(0, 20); i > 0; i--) lines.push(`// ${random.pick(ACTIONS).toLowerCase()} rule ${i}: keep ${random.pick(OBJECTS)} with ${field} set`);
  lines.push("return out;");
  return node(random, `Code ${step}`, "n8n-nodes-base.code", 2, { jsCode: lines.join("\n") });
}

function http(random: Random, step: number): { name: string; node: Record<string, unknown> } {
  const system = random.pick(SYSTEMS);
  const object = random.pick(OBJECTS);
  return node(random, `HTTP ${system} ${step}`, "n8n-nodes-base.httpRequest", 4.2, {
    method: random.pick(["GET", "POST", "PATCH"]),
    url: `=https://api.${system.toLowerCase()}.example.com/v2/${object}/{{ $json.id }}`,
    sendQuery: true,
    queryParameters: { parameters: [{ name: "limit", value: String(random.int(10, 500)) }, { name: "expand", value: "customer,lines" }] },
    sendHeaders: true,
    headerParameters: { parameters: [{ name: "Accept", value: "application/json" }, { name: "X-Request-Id", value: "={{ $execution.id }}-{{ $itemIndex }}" }] },
    sendBody: true,
    specifyBody: "json",
    jsonBody: `={{ JSON.stringify({ ${object}: $json, source: 'n8n', step: ${step} }) }}`,
    options: { timeout: 10_000, response: { response: { neverError: true } } },
  });
}

function condition(random: Random, step: number): { name: string; node: Record<string, unknown> } {
  return node(random, `If ${step}`, "n8n-nodes-base.if", 2.2, {
    conditions: {
      options: { caseSensitive: true, leftValue: "", typeValidation: "strict", version: 2 },
      conditions: [
        {
          id: random.uuid(),
          leftValue: `={{ $json.${random.pick(["status", "plan", "country"])} }}`,
          rightValue: random.pick(["active", "pro", "DE", "past_due"]),
          operator: { type: "string", operation: "equals" },
        },
        { id: random.uuid(), leftValue: "={{ $json.amount }}", rightValue: random.int(0, 1000), operator: { type: "number", operation: "gt" } },
      ],
      combinator: random.pick(["and", "or"]),
    },
    options: {},
  });
}

function set(random: Random, step: number): { name: string; node: Record<string, unknown> } {
  const assignments = [];
  for (let i = random.int(2, 6); i > 0; i--) {
    assignments.push({ id: random.uuid(), name: `field_${i}`, value: `={{ $json.${random.pick(["email", "id", "name", "total"])} }}`, type: "string" });
  }
  return node(random, `Set ${step}`, "n8n-nodes-base.set", 3.4, { mode: "manual", assignments: { assignments }, includeOtherFields: true, options: {} });
}

function node(random: Random, name: string, type: string, typeVersion: number, parameters: Record<string, unknown>) {
  return { name, node: { parameters, id: random.uuid(), name, type, typeVersion } };
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}
