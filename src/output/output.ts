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

// C0 controls but tab and newline, DEL, C1 controls, and the bidirectional overrides and isolates: what
// lets a name set the window title (ESC ] ...), erase the line (CR, ESC [ K), ring the bell, or show
// text in another order than it is. Colour codes (ESC [ <digits> m) stay when colour is on: the lines
// carry picocolors' own; concealed text (8) never does.
const CONTROL = /\x1b\[(?:[0-79]|[1-9][0-9])(?:;(?:[0-79]|[1-9][0-9]))*m|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
const SGR = /^\x1b\[[0-9;]*m$/;

/** The text with every control character shown as an escape (\x1b, \r, \u202e); keepColours keeps colour codes. */
export function terminalSafe(text: string, keepColours = false): string {
  return text.replace(CONTROL, (match) => {
    if (SGR.test(match)) return keepColours ? match : match.replace("\x1b", "\\x1b");
    const code = match.charCodeAt(0);
    if (match === "\r") return "\\r";
    return code > 0xff ? `\\u${code.toString(16).padStart(4, "0")}` : `\\x${code.toString(16).padStart(2, "0")}`;
  });
}

/** A name or other value printed inside one line: newlines too become escapes (a name must not start a line). */
export function oneLine(text: string): string {
  return terminalSafe(text).replace(/\n/g, "\\n").replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

export function createOutput(options: { json?: boolean; stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {}): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const json = options.json ?? false;
  // Human lines only: what reaches a terminal shows every control character escaped (JSON stays exact).
  const safe = (line: string) => terminalSafe(line, pc.isColorSupported);
  return {
    json,
    info: (line) => {
      if (!json) stdout.write(`${safe(line)}\n`);
    },
    warn: (line) => stderr.write(`${pc.yellow("warning:")} ${safe(line)}\n`),
    error: (line) => stderr.write(`${pc.red("error:")} ${safe(line)}\n`),
    result: (value) => {
      if (json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}
