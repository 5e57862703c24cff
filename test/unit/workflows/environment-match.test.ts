// The matcher of environment values: where a value stands in a node parameter, and where it must not.
import { describe, expect, it } from "vitest";
import { fillSlot, findValueSlots, matchText, replaceValues } from "../../../src/workflows/environment-match.ts";
import { parseValuesTable } from "../../../src/workflows/environment-values.ts";

const table = parseValuesTable(
  JSON.stringify({
    API_BASE: { match: "prefix", development: "http://localhost:3000", production: "https://api.example.com", staging: "https://staging.example.com" },
    ALERT_CHANNEL: { development: "#dev-alerts", production: "#prod-alerts" },
  }),
  "n8n-values.json",
);
const dev = [
  { name: "API_BASE", value: "http://localhost:3000", match: "prefix" as const },
  { name: "ALERT_CHANNEL", value: "#dev-alerts", match: "whole" as const },
];

describe("matchText", () => {
  it("matches a whole value only when the parameter is exactly it", () => {
    expect(matchText("#dev-alerts", dev)).toEqual(["", "ALERT_CHANNEL", ""]);
    expect(matchText("#dev-alerts-old", dev)).toBeUndefined();
    expect(matchText("post to #dev-alerts", dev)).toBeUndefined();
  });

  it("matches a prefix value at the start, up to a path, query or fragment", () => {
    expect(matchText("http://localhost:3000", dev)).toEqual(["", "API_BASE", ""]);
    expect(matchText("http://localhost:3000/users?page=1", dev)).toEqual(["", "API_BASE", "/users?page=1"]);
    expect(matchText("http://localhost:3000?x=1", dev)).toEqual(["", "API_BASE", "?x=1"]);
  });

  it("never matches inside an unrelated string", () => {
    expect(matchText("http://localhost:30001/users", dev)).toBeUndefined();
    expect(matchText("see http://localhost:3000/users", dev)).toBeUndefined();
    expect(matchText("http://localhost:3000.evil.com", dev)).toBeUndefined();
    expect(matchText("={{ $json.url }}", dev)).toBeUndefined();
  });

  it("matches inside expressions: the literal text they start with and string literals in {{ }}", () => {
    expect(matchText("=http://localhost:3000/users/{{ $json.id }}", dev)).toEqual(["=", "API_BASE", "/users/{{ $json.id }}"]);
    expect(matchText("=http://localhost:3000{{ $json.path }}", dev)).toEqual(["=", "API_BASE", "{{ $json.path }}"]);
    expect(matchText("={{ $json.ok ? 'http://localhost:3000/a' : \"#dev-alerts\" }}", dev)).toEqual([
      "={{ $json.ok ? '", "API_BASE", "/a' : \"", "ALERT_CHANNEL", "\" }}",
    ]);
    expect(matchText("={{ `http://localhost:3000/${$json.id}` }}", dev)).toEqual(["={{ `", "API_BASE", "/${$json.id}` }}"]);
    // In an expression a whole value must still be the whole literal.
    expect(matchText("={{ '#dev-alerts' + $json.suffix }}", dev)).toEqual(["={{ '", "ALERT_CHANNEL", "' + $json.suffix }}"]);
    expect(matchText("={{ '#dev-alerts-2' }}", dev)).toBeUndefined();
    expect(matchText("=#dev-alerts{{ $json.n }}", dev)).toBeUndefined();
    // Outside {{ }} after the start, text is literal prose: not matched.
    expect(matchText("=Call {{ $json.a }} http://localhost:3000/x", dev)).toBeUndefined();
  });

  it("rebuilds the same text from the parts with the same values", () => {
    const text = "={{ $json.ok ? 'http://localhost:3000/a' : \"#dev-alerts\" }}";
    const parts = matchText(text, dev)!;
    expect(fillSlot(parts, (name) => dev.find((c) => c.name === name)!.value)).toBe(text);
  });
});

describe("findValueSlots and replaceValues", () => {
  const nodes = [
    {
      name: "Call API",
      type: "n8n-nodes-base.httpRequest",
      parameters: { url: "http://localhost:3000/users", options: { headers: [{ name: "X-Channel", value: "#dev-alerts" }] } },
      notes: "http://localhost:3000",
    },
    { name: "Prod by mistake", parameters: { url: "https://api.example.com/x" } },
  ];

  it("finds the source environment's values in node parameters only", () => {
    const slots = findValueSlots(nodes, table, "development");
    expect(slots.map((s) => [s.nodeIndex, s.path.join("."), s.parts])).toEqual([
      [0, "parameters.url", ["", "API_BASE", "/users"]],
      [0, "parameters.options.headers.0.value", ["", "ALERT_CHANNEL", ""]],
    ]);
    expect(findValueSlots(nodes, table, "production").map((s) => s.node)).toEqual(["Prod by mistake"]);
    expect(findValueSlots(nodes, table, "nowhere")).toEqual([]);
  });

  it("replaces by the target's values, keeping the source's where the target has none", () => {
    const slots = findValueSlots(nodes, table, "development");
    const values = Object.fromEntries(table.map((e) => [e.name, e.values]));
    const prod = replaceValues(nodes, slots, values, "development", "production");
    expect((prod.nodes[0] as any).parameters.url).toBe("https://api.example.com/users");
    expect((prod.nodes[0] as any).parameters.options.headers[0].value).toBe("#prod-alerts");
    expect((prod.nodes[0] as any).notes).toBe("http://localhost:3000");
    expect(prod.replacements).toEqual([
      { name: "API_BASE", node: "Call API", from: "http://localhost:3000", to: "https://api.example.com" },
      { name: "ALERT_CHANNEL", node: "Call API", from: "#dev-alerts", to: "#prod-alerts" },
    ]);
    const staging = replaceValues(nodes, slots, values, "development", "staging");
    expect((staging.nodes[0] as any).parameters.options.headers[0].value).toBe("#dev-alerts");
    expect(replaceValues(nodes, slots, values, "development", "development").nodes).toEqual(nodes);
    expect((nodes[0] as any).parameters.url).toBe("http://localhost:3000/users");
  });
});
