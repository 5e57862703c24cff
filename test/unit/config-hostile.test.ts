// Settings a careless teammate or an attacker sets: an environment name that walks out of the project,
// a connection string pasted without its scheme. Neither reads a foreign file nor prints a password.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, loadFilesConfig, maskUrl, redactSecrets } from "../../src/config/config.ts";

const PASSWORD = "Sup3rS3cretPooler";

describe("environment names", () => {
  it("NODE_ENV or --env that is not a plain name is refused before any .env file is read", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-envname-"));
    const cwd = path.join(root, "project");
    mkdirSync(cwd);
    // What "/../evil.env" reaches from the project: .env./../evil.env -> <root>/evil.env
    writeFileSync(path.join(root, "evil.env"), "DATABASE_URL=postgresql://attacker@evil.example.com/db\n");
    writeFileSync(path.join(cwd, ".env.development"), "DATABASE_URL=postgresql://a@h/dev\n");
    for (const env of ["/../evil", "/../../evil.env", "../x", "prod uction", "a/b", ""]) {
      expect(() => loadConfig({ env, cwd, processEnv: {} }), env).toThrow(ConfigError);
      expect(() => loadFilesConfig({ cwd, processEnv: { NODE_ENV: env || "." } }), env).toThrow(/is not a name: use letters, digits, "-" and "_" only/);
    }
    expect(() => loadConfig({ cwd, processEnv: { NODE_ENV: "/../evil" } })).toThrow(/\(NODE_ENV\)/);
    for (const env of ["development", "prod-eu_2", "STAGING"]) expect(loadFilesConfig({ env, cwd, processEnv: {} }).envName).toBe(env);
    // `NODE_ENV= npm run ...` (empty) is unset, as Node tools read it: the default environment.
    expect(loadFilesConfig({ cwd, processEnv: { NODE_ENV: "" } }).envName).toBe("development");
  });
});

describe("masking", () => {
  it("a DATABASE_URL without its scheme (a pasted pooler string) never shows its password", () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), "n8n-sync-mask-"));
    for (const url of [
      `postgres:${PASSWORD}@db.example.com:5432/postgres`,
      `postgres.abcdefgh:${PASSWORD}@aws-0-eu-central-1.pooler.supabase.com:6543/postgres`,
      `mysql://root:${PASSWORD}@db.example.com/x`,
    ]) {
      let message = "";
      try {
        loadConfig({ cwd, processEnv: { DATABASE_URL: url } });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, url).toMatch(/^DATABASE_URL /);
      expect(message, url).not.toContain(PASSWORD);
      expect(message).toContain(":***@");
    }
  });

  it("maskUrl and redactSecrets mask user:password@ however the value is written", () => {
    expect(maskUrl(`postgresql://u:${PASSWORD} x@h/db`)).not.toContain(PASSWORD);
    for (const url of [`postgres:${PASSWORD}@h:5432/db`, `u:${PASSWORD}@h/db`, `postgresql://u:${PASSWORD}@h/db`]) {
      expect(maskUrl(url), url).not.toContain(PASSWORD);
      expect(redactSecrets(`failed: ${PASSWORD} (${url})`, url), url).not.toContain(PASSWORD);
    }
  });
});
