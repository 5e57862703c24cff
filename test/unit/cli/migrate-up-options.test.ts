import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, parseDuration, type Config } from "../../../src/config/config.ts";
import { applySettingsFromConfig, parseCredentialMap, parseSeconds } from "../../../src/cli/migrate-up-options.ts";

function config(root: string, vars: Record<string, string> = {}): Config {
  return loadConfig({ cwd: root, processEnv: { DATABASE_URL: "postgresql://x@localhost/db", N8N_DB_SCHEMA: "n8n", N8N_PROJECT_ID: "p1", ...vars } });
}

describe("applySettingsFromConfig", () => {
  it("takes schema, project and environment from Config, publish from the flag, no credential map by default", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "settings-"));
    const settings = applySettingsFromConfig(config(root), {});
    expect(settings).toEqual({ schema: "n8n", projectId: "p1", publish: "publish", credentialMap: undefined, environment: config(root).envName });
    expect(applySettingsFromConfig(config(root), { keepPublishedVersion: true }).publish).toBe("keep");
  });

  it("reads credential-map.json beside the migrations' parent folder, else N8N_CREDENTIAL_MAP, else the flag", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "settings-"));
    mkdirSync(path.join(root, "supabase", "migrations"), { recursive: true });
    writeFileSync(path.join(root, "credential-map.json"), '{"a":"b"}');
    writeFileSync(path.join(root, "other.json"), '{"c":"d"}');
    expect(applySettingsFromConfig(config(root), {}).credentialMap).toEqual({ a: "b" });
    expect(applySettingsFromConfig(config(root, { N8N_CREDENTIAL_MAP: "other.json" }), {}, root).credentialMap).toEqual({ c: "d" });
    expect(applySettingsFromConfig(config(root, { N8N_CREDENTIAL_MAP: "other.json" }), { credentialMap: "credential-map.json" }, root).credentialMap).toEqual({ a: "b" });
    expect(() => applySettingsFromConfig(config(root), { credentialMap: "missing.json" }, root)).toThrow(/cannot read credential map .*missing\.json: ENOENT/);
  });
});

describe("parseCredentialMap", () => {
  it("accepts an object of ids and rejects anything else with one line", () => {
    expect(parseCredentialMap('{"src":"dst"}', "m.json")).toEqual({ src: "dst" });
    expect(() => parseCredentialMap("{oops", "m.json")).toThrow(/^credential map m\.json is not valid JSON \(.*\): expected/);
    expect(() => parseCredentialMap('["a"]', "m.json")).toThrow(/must be a JSON object/);
    expect(() => parseCredentialMap('{"a": 1}', "m.json")).toThrow(/value of "a" must be a credential id/);
    for (const bad of ["{oops", '["a"]', '{"a": 1}']) {
      expect(() => parseCredentialMap(bad, "m.json")).toThrow(expect.objectContaining({ message: expect.not.stringContaining("\n") }));
    }
  });
});

describe("durations", () => {
  it("accepts PostgreSQL durations and seconds, rejects the rest", () => {
    expect(parseDuration("5s", "--lock-timeout")).toBe("5s");
    expect(parseDuration(" 0 ", "--lock-timeout")).toBe("0");
    expect(parseDuration(undefined, "--lock-timeout")).toBeUndefined();
    expect(() => parseDuration("5s; drop table x", "--lock-timeout")).toThrow(/not a duration/);
    expect(parseSeconds("1.5", "--lock-wait")).toBe(1500);
    expect(() => parseSeconds("soon", "--lock-wait")).toThrow(/takes a number of seconds/);
  });
});
