// validate's refusals of an ambiguous environment values file, and the file's shape errors.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { validateFiles } from "../../../src/validate/validate.ts";
import { parseValuesTable } from "../../../src/workflows/environment-values.ts";
import { valuesTableProblems } from "../../../src/validate/values-file.ts";

const problems = (file: unknown) => valuesTableProblems(parseValuesTable(JSON.stringify(file), "n8n-values.json"));

describe("the environment values file", () => {
  it("accepts distinct, long enough, non-secret values (and an empty file)", () => {
    expect(problems({})).toEqual([]);
    expect(problems({
      API_BASE: { match: "prefix", development: "http://localhost:3000", production: "https://api.example.com" },
      ALERT_CHANNEL: { development: "#dev-alerts", production: "#alerts-prod" },
    })).toEqual([]);
  });

  it("refuses a value inside another value of the same environment", () => {
    expect(problems({
      API_BASE: { match: "prefix", production: "https://api.example.com" },
      API_V2: { match: "prefix", production: "https://api.example.com/v2" },
    })).toEqual([expect.stringContaining("API_BASE.production is inside API_V2.production")]);
    expect(problems({ A_ONE: { production: "#alerts-x" }, B_TWO: { production: "#alerts-x" } })).toEqual([
      expect.stringContaining("A_ONE.production and B_TWO.production are the same value"),
    ]);
    // The same text in two different environments is no ambiguity.
    expect(problems({ A_ONE: { development: "#alerts-x" }, B_TWO: { production: "#alerts-x" } })).toEqual([]);
  });

  it("refuses values so short they would match by accident", () => {
    expect(problems({ CHANNEL: { development: "#dev", production: "#alerts" } })).toEqual([expect.stringContaining("CHANNEL.development is shorter than 5")]);
  });

  it("refuses a secret-shaped value (the secret scanner runs on it)", () => {
    const token = ["ghp", "_", "R2l0SHViVG9rZW5FeGFtcGxlMTIzNDU2Nzg5MA"].join("");
    const found = problems({ API_TOKEN: { production: token } });
    expect(found).toEqual([expect.stringContaining("API_TOKEN.production looks like a secret")]);
    expect(found.join(" ")).not.toContain(token);
    expect(problems({ DB: { production: "postgresql://app:s3cr3tP4ss@db.example.com/app" } })).toEqual([expect.stringContaining("looks like a secret")]);
  });

  it("names what is wrong with the file's shape", () => {
    expect(() => parseValuesTable("{", "n8n-values.json")).toThrow(/n8n-values.json is not valid JSON/);
    expect(() => parseValuesTable("[]", "n8n-values.json")).toThrow(/must be a JSON object/);
    expect(() => parseValuesTable('{"API": {"match": "regex"}}', "n8n-values.json")).toThrow(/API.match must be "whole" or "prefix"/);
    expect(() => parseValuesTable('{"API": {"production": 3}}', "n8n-values.json")).toThrow(/API.production must be a string/);
    expect(() => parseValuesTable('{"my api": {}}', "n8n-values.json")).toThrow(/"my api" is not a value name/);
  });
});

describe("validate with a values file", () => {
  it("reports each ambiguous entry at its line, and nothing when the file is absent", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-values-"));
    try {
      const file = path.join(dir, "n8n-values.json");
      writeFileSync(file, JSON.stringify({ API_BASE: { match: "prefix", production: "https://api.example.com" }, CHANNEL: { production: "#ops" } }, null, 2));
      const result = await validateFiles({ files: [], allowlist: { allow: [] }, cwd: dir, valuesFile: file });
      expect(result.problems).toEqual([{ file: "n8n-values.json", line: 6, message: expect.stringContaining("CHANNEL.production is shorter than 5") }]);
      const absent = await validateFiles({ files: [], allowlist: { allow: [] }, cwd: dir, valuesFile: path.join(dir, "none.json") });
      expect(absent.problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
