// Terminal output: colour only on a TTY and never with NO_COLOR (picocolors decides), JSON for CI.
import pc from "picocolors";

export const colors = pc;

export interface Output {
  json: boolean;
  /** a line for people (suppressed with --json) */
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
  /** the machine-readable result (only with --json) */
  result(value: unknown): void;
}

export function createOutput(options: { json?: boolean; stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {}): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const json = options.json ?? false;
  return {
    json,
    info: (line) => {
      if (!json) stdout.write(`${line}\n`);
    },
    warn: (line) => stderr.write(`${pc.yellow("warning:")} ${line}\n`),
    error: (line) => stderr.write(`${pc.red("error:")} ${line}\n`),
    result: (value) => {
      if (json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}
