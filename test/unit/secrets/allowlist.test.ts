import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allowlistEntryFor, isAllowed, parseAllowlist, readAllowlist } from "../../../src/secrets/allowlist.ts";
import type { SecretFinding } from "../../../src/secrets/scan.ts";

const finding: SecretFinding = {
  workflowId: "wf1",
  workflowName: "Orders",
  node: "HTTP Request",
  path: "parameters.headerParameters.parameters[1].value",
  kind: "high-entropy-secret",
  masked: "abcd… (34 chars)",
  fingerprint: "0123456789abcdef",
};

describe("allowlist", () => {
  it("allows a finding only when workflow, node, path and fingerprint all match", () => {
    const allowlist = parseAllowlist(JSON.stringify({ allow: [{ ...allowlistEntryFor(finding), reason: "public sandbox key" }] }), "a.json");
    expect(isAllowed(finding, allowlist)).toBe(true);
    expect(isAllowed({ ...finding, fingerprint: "fedcba9876543210" }, allowlist)).toBe(false);
    expect(isAllowed({ ...finding, path: "parameters.url" }, allowlist)).toBe(false);
    expect(isAllowed({ ...finding, node: "Other" }, allowlist)).toBe(false);
    expect(isAllowed({ ...finding, workflowId: "wf2" }, allowlist)).toBe(false);
  });

  it("the suggested entry holds no value", () => {
    const entry = allowlistEntryFor(finding);
    expect(Object.keys(entry).sort()).toEqual(["fingerprint", "node", "path", "reason", "workflowId"]);
  });

  it("rejects malformed files with one line naming the file and entry", () => {
    expect(() => parseAllowlist("{", "x.json")).toThrow(/x\.json is not valid JSON/);
    expect(() => parseAllowlist("[]", "x.json")).toThrow(/x\.json must be an object \{"allow"/);
    expect(() => parseAllowlist(JSON.stringify({ allow: [{ workflowId: "a", node: "b" }] }), "x.json")).toThrow(
      /x\.json: entry 1 has no path, fingerprint/,
    );
    expect(() =>
      parseAllowlist(JSON.stringify({ allow: [{ ...allowlistEntryFor(finding), value: "the secret" }] }), "x.json"),
    ).toThrow(/entry 1 holds a value/);
  });

  it("a missing file is an empty allowlist; a present one is read", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "allow-"));
    expect(await readAllowlist(path.join(dir, "none.json"))).toEqual({ allow: [] });
    const file = path.join(dir, "a.json");
    await writeFile(file, JSON.stringify({ allow: [allowlistEntryFor(finding)] }));
    expect(isAllowed(finding, await readAllowlist(file))).toBe(true);
  });
});
