import { describe, expect, it } from "vitest";
import { fingerprintSecret, maskSecret, scanValue, scanWorkflowSecrets } from "../../../src/secrets/scan.ts";
import { fakeSecrets } from "./fake-secrets.ts";

const s = fakeSecrets();

function workflowWith(parameters: unknown) {
  return { id: "wf1", name: "Orders", nodes: [{ name: "HTTP Request", parameters }] };
}

describe("scanValue: known token formats", () => {
  const cases: Array<[string, string, string]> = [
    ["github-token", s.github, s.github],
    ["github-token", s.githubPat, s.githubPat],
    ["slack-token", s.slack, s.slack],
    ["stripe-key", s.stripe, s.stripe],
    ["openai-key", s.openai, s.openai],
    ["google-api-key", s.google, s.google],
    ["sendgrid-key", s.sendgrid, s.sendgrid],
    ["twilio-api-key", s.twilio, s.twilio],
    ["aws-access-key", `key id ${s.awsAccessKey} here`, s.awsAccessKey],
    ["aws-secret-key", `const aws_secret_access_key = "${s.awsSecretKey}";`, s.awsSecretKey],
    ["jwt", `token=${s.jwt}`, s.jwt],
    ["private-key", s.privateKey, s.privateKey],
    ["bearer-token", `Bearer ${s.randomToken}`, s.randomToken],
    ["basic-auth", `Basic ${Buffer.from(`admin:${s.password}`).toString("base64")}`, Buffer.from(`admin:${s.password}`).toString("base64")],
    ["connection-string-password", `postgresql://app:${s.password}@db.internal:5432/app`, s.password],
  ];
  for (const [kind, value, secret] of cases) {
    it(`finds ${kind}`, () => {
      expect(scanValue("text", value)).toEqual({ kind, secret });
    });
  }

  it("finds a token inside code", () => {
    const jsCode = `const client = new Stripe("${s.stripe}");\nreturn items;`;
    expect(scanValue("jsCode", jsCode)?.kind).toBe("stripe-key");
  });
});

describe("scanValue: named fields", () => {
  it("finds high-entropy values in secret-like fields", () => {
    for (const field of ["apiKey", "api_key", "X-API-Key", "clientSecret", "accessToken", "token", "Authorization", "secret"]) {
      expect(scanValue(field, s.randomToken), field).toEqual({ kind: "high-entropy-secret", secret: s.randomToken });
    }
    expect(scanValue("authToken", s.hexToken)?.kind).toBe("high-entropy-secret");
  });

  it("finds any literal in a password field", () => {
    expect(scanValue("password", "hunter22")).toEqual({ kind: "password-field", secret: "hunter22" });
    expect(scanValue("db_password", "hunter22")?.kind).toBe("password-field");
  });

  it("ignores ordinary values, enum words, placeholders and other fields", () => {
    expect(scanValue("apiKey", "genericCredentialType")).toBeUndefined();
    expect(scanValue("authentication", "predefinedCredentialType")).toBeUndefined();
    expect(scanValue("sortKey", "createdAt")).toBeUndefined();
    expect(scanValue("password", "***")).toBeUndefined();
    expect(scanValue("password", "${DB_PASSWORD}")).toBeUndefined();
    expect(scanValue("url", `https://example.com/${s.randomToken}`)).toBeUndefined();
    expect(scanValue("documentId", s.randomToken)).toBeUndefined();
    expect(scanValue("url", "postgresql://app:***@db/app")).toBeUndefined();
    expect(scanValue("text", "Bearer of bad news")).toBeUndefined();
    expect(scanValue("text", "Bearer authentication is required")).toBeUndefined();
    expect(scanValue("text", "Basic information about the order")).toBeUndefined();
    expect(scanValue("text", "sk-learn-documentation-and-examples")).toBeUndefined();
    expect(scanValue("fileKey", "uploads/2024/report_final_v2.pdf")).toBeUndefined();
    expect(scanValue("apiKey", "api.example.com:443")).toBeUndefined();
  });

  it("ignores n8n expressions but not literal text around them", () => {
    expect(scanValue("value", "={{ $credentials.token }}")).toBeUndefined();
    expect(scanValue("Authorization", "=Bearer {{ $env.API_TOKEN }}")).toBeUndefined();
    expect(scanValue("apiKey", "={{ $vars.apiKey }}")).toBeUndefined();
    expect(scanValue("url", `=https://api.example.com/?key=${s.google}&q={{ $json.q }}`)?.kind).toBe("google-api-key");
  });
});

describe("scanWorkflowSecrets", () => {
  it("reports node, parameter path, kind, masked value and fingerprint; never the value", () => {
    const findings = scanWorkflowSecrets(
      workflowWith({
        url: "https://api.example.com",
        authentication: "none",
        sendHeaders: true,
        headerParameters: {
          parameters: [
            { name: "Accept", value: "application/json" },
            { name: "X-API-Key", value: s.randomToken },
          ],
        },
        options: { "proxy url": `http://proxy:${s.password}@proxy.local:3128` },
      }),
    );
    expect(findings).toEqual([
      {
        workflowId: "wf1",
        workflowName: "Orders",
        node: "HTTP Request",
        path: "parameters.headerParameters.parameters[1].value",
        kind: "high-entropy-secret",
        masked: `${s.randomToken.slice(0, 4)}… (34 chars)`,
        fingerprint: fingerprintSecret("wf1", s.randomToken),
      },
      {
        workflowId: "wf1",
        workflowName: "Orders",
        node: "HTTP Request",
        path: 'parameters.options["proxy url"]',
        kind: "connection-string-password",
        masked: "*** (11 chars)",
        fingerprint: fingerprintSecret("wf1", s.password),
      },
    ]);
    const text = JSON.stringify(findings);
    expect(text).not.toContain(s.randomToken);
    expect(text).not.toContain(s.password);
  });

  it("does not scan credential references", () => {
    const findings = scanWorkflowSecrets({
      id: "wf1",
      name: "x",
      nodes: [{ name: "Slack", parameters: { channel: "#ops" }, credentials: { slackApi: { id: s.randomToken, name: "Slack bot" } } } as never],
    });
    expect(findings).toEqual([]);
  });

  it("finds every planted secret kind across nodes", () => {
    const nodes = Object.entries(s).map(([key, value]) => ({ name: `n-${key}`, parameters: { notes: { password: value } } }));
    const findings = scanWorkflowSecrets({ id: "wf2", name: "many", nodes });
    expect(findings.map((f) => f.node).sort()).toEqual(nodes.map((n) => n.name).sort());
  });
});

describe("masking and fingerprints", () => {
  it("shows 4 characters of long values only", () => {
    expect(maskSecret(s.github)).toBe(`ghp_… (40 chars)`);
    expect(maskSecret("short-secret")).toBe("*** (12 chars)");
  });

  it("fingerprints differ per workflow and per value, and do not contain the value", () => {
    const a = fingerprintSecret("wf1", s.stripe);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprintSecret("wf2", s.stripe)).not.toBe(a);
    expect(fingerprintSecret("wf1", s.github)).not.toBe(a);
    expect(fingerprintSecret("wf1", s.stripe)).toBe(a);
  });
});
