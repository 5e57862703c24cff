// Runs one command as a real process and measures what a user would feel: wall-clock time from spawn to
// exit, and peak memory of the whole process tree (wrappers like tsx and the npm supabase shim start
// children; their RSS is summed), sampled from /proc.
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";

export interface Measurement {
  ms: number;
  /** peak of the summed RSS of the process and its descendants, in MiB */
  peakMiB: number;
  code: number;
  output: string;
}

export interface Command {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

const SAMPLE_MS = 5;

export function measure({ command, args, env, cwd }: Command): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env: env ?? process.env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    let peakKiB = 0;
    const sample = () => {
      if (child.pid) peakKiB = Math.max(peakKiB, treeRssKiB(child.pid));
    };
    const timer = setInterval(sample, SAMPLE_MS);
    sample();
    child.on("error", (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearInterval(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({ ms, peakMiB: peakKiB / 1024, code: code ?? (signal ? 128 : 1), output });
    });
  });
}

/** a measurement that must succeed: throws with the command's output otherwise */
export async function measureOk(command: Command): Promise<Measurement> {
  const result = await measure(command);
  if (result.code !== 0) throw new Error(`${command.command} ${command.args.join(" ")} exited ${result.code}:\n${result.output.slice(-3000)}`);
  return result;
}

function treeRssKiB(pid: number): number {
  let total = 0;
  const stack = [pid];
  while (stack.length > 0) {
    const current = stack.pop()!;
    total += rssKiB(current);
    stack.push(...children(current));
  }
  return total;
}

function rssKiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // exited between listing and reading
  }
}

function children(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8")
        .split(" ")
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    return [];
  }
}
