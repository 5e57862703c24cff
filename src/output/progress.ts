// How every long run shows progress: on a terminal one bar (done / total, rate, time left) on stderr, with
// the lines a person must see (conflicts, failures, unresolved references) printed above it as they
// happen, and per-item lines only with --verbose; otherwise (CI logs, pipes) one plain line per item, as
// always; with --json nothing but what Output lets through. cli-progress is loaded only when a bar
// starts, so a run with nothing to do never pays for it (migrate-up's start).
import { createRequire } from "node:module";
import type { SingleBar } from "cli-progress";
import { oneLine, type Output } from "./output.ts";

export interface Progress {
  /** counting begins; on a terminal a bar appears when there is something to count */
  start(total: number): void;
  /** a per-item line: printed without a bar, above it only with verbose */
  line(text: string): void;
  /** the item being worked on now, shown beside the bar until the next one (a slow file is named while it runs) */
  working(name: string): void;
  /** one item done (`name` is shown beside the bar) */
  advance(name?: string): void;
  /** a line that must be seen as it happens, bar or not */
  notice(level: "info" | "warn" | "error", text: string): void;
  /** removes the bar (the caller prints its summary next) */
  stop(): void;
  /** whether a bar replaces the per-item lines (the caller then prints a summary) */
  readonly bar: boolean;
}

export interface ProgressOptions {
  /** what the bar says it is doing, e.g. "applying" */
  label: string;
  /** keep the per-item lines on a terminal too (above the bar) */
  verbose?: boolean;
  /** where the bar goes (default stderr); a bar only when it is a terminal */
  stream?: NodeJS.WriteStream;
}

export function createProgress(out: Output, options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  if (out.json || !stream.isTTY) return plainProgress(out);
  return barProgress(out, stream, options);
}

function plainProgress(out: Output): Progress {
  return {
    bar: false,
    start: () => {},
    line: (text) => out.info(text),
    working: () => {},
    advance: () => {},
    notice: (level, text) => out[level](text),
    stop: () => {},
  };
}

const NAME_WIDTH = 40;
// Erases the bar's line (the cursor stays at its start).
const CLEAR_LINE = "\r\x1b[2K";
// DEC save cursor: cli-progress restores the cursor to where the bar started when it stops, so after
// lines are printed above the bar the bar's new line becomes that place.
const SAVE_CURSOR = "\x1b7";

function barProgress(out: Output, stream: NodeJS.WriteStream, options: ProgressOptions): Progress {
  let bar: SingleBar | undefined;
  let started = 0;
  let done = 0;
  const above = (print: () => void) => {
    if (!bar) return print();
    stream.write(CLEAR_LINE);
    print();
    stream.write(SAVE_CURSOR);
    bar.render();
  };
  return {
    bar: true,
    start: (total) => {
      if (total <= 0 || bar) return;
      const { SingleBar, Presets } = createRequire(import.meta.url)("cli-progress") as typeof import("cli-progress");
      bar = new SingleBar(
        {
          stream,
          format: `${options.label} {bar} {value}/{total} | {rate}/s | {eta_formatted} left | {name}`,
          hideCursor: true,
          clearOnComplete: true,
          // lines printed above the bar erase it: it must be drawn again even when nothing changed
          forceRedraw: true,
          etaBuffer: 50,
        },
        Presets.shades_classic,
      );
      started = performance.now();
      done = 0;
      bar.start(total, 0, { name: "", rate: "0" });
    },
    line: (text) => {
      if (options.verbose) above(() => out.info(text));
    },
    working: (name) => {
      bar?.update({ name: name.slice(0, NAME_WIDTH) });
      bar?.render();
    },
    advance: (name = "") => {
      done++;
      const seconds = (performance.now() - started) / 1000;
      bar?.increment(1, { name: oneLine(name).slice(0, NAME_WIDTH), rate: seconds > 0 ? String(Math.round(done / seconds)) : "0" });
    },
    notice: (level, text) => above(() => out[level](text)),
    stop: () => {
      bar?.stop();
      bar = undefined;
    },
  };
}
