// A command line as a user types it (sh -c), with a clean environment: PATH, HOME, NO_COLOR and what the
// test passes. Never rejects: the exit code and the combined output are the result.
import { execFile } from "node:child_process";

export function sh(line: string, cwd: string, env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      "sh",
      ["-c", line],
      { cwd, timeout: 180_000, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1", ...env } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: stdout + stderr }),
    );
  });
}
