// n8n-sync's own commands, run as real processes the way a developer, CI or a start script runs them:
// `tsx scripts/<name>.ts ...` with the environment's settings in env vars (no .env files involved).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const TSX = join(PROJECT_ROOT, "node_modules", ".bin", "tsx");

export interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function scriptExists(name: string): boolean {
  return existsSync(join(PROJECT_ROOT, "scripts", `${name}.ts`));
}

export function runScript(name: string, args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [join(PROJECT_ROOT, "scripts", `${name}.ts`), ...args], {
      cwd: PROJECT_ROOT,
      // NO_COLOR: plain lines to assert on; a clean NODE_ENV so --env decides.
      env: { ...process.env, NODE_ENV: "", NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** the command line and its output, for assertion messages */
export function describeRun(name: string, args: string[], result: ScriptResult): string {
  return `tsx scripts/${name}.ts ${args.join(" ")} exited ${result.code}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}
