import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createOutput } from "../../src/output/output.ts";
import { createProgress } from "../../src/output/progress.ts";

function capture(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  let text = "";
  stream.on("data", (chunk) => (text += chunk));
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

function run(isTTY: boolean, options: { verbose?: boolean; json?: boolean; total?: number } = {}) {
  const out = capture(isTTY);
  const progress = createProgress(createOutput({ json: options.json, stdout: out.stream, stderr: out.stream }), {
    label: "applying",
    verbose: options.verbose,
    stream: out.stream,
  });
  progress.start(options.total ?? 2);
  progress.line("  inserted a");
  progress.advance("a.sql");
  progress.notice("info", "CONFLICT b");
  progress.line("  updated b");
  progress.advance("b.sql");
  progress.stop();
  return { text: out.text(), bar: progress.bar };
}

describe("the shared progress display", () => {
  it("without a terminal: every line in order, no bar", () => {
    expect(run(false)).toEqual({ text: "  inserted a\nCONFLICT b\n  updated b\n", bar: false });
  });

  it("on a terminal: a bar with done/total and rate; notices above it, per-item lines hidden", () => {
    const { text, bar } = run(true);
    expect(bar).toBe(true);
    expect(text).toMatch(/applying [█░]+ 2\/2 \| \d+\/s \| .* left \| b\.sql/);
    // the bar's line is cleared, the notice printed on its own line, the bar drawn again below it
    expect(text).toMatch(/\r\x1b\[2KCONFLICT b\n\x1b7.*applying/s);
    expect(text).not.toContain("inserted a");
  });

  it("on a terminal with verbose: the per-item lines above the bar too", () => {
    const { text } = run(true, { verbose: true });
    expect(text).toContain("  inserted a\n");
    expect(text).toContain("  updated b\n");
    expect(text).toMatch(/applying [█░]+ 2\/2/);
  });

  it("on a terminal: names the file being worked on while it runs, before it is counted", () => {
    const out = capture(true);
    const progress = createProgress(createOutput({ stdout: out.stream, stderr: out.stream }), { label: "applying", stream: out.stream });
    progress.start(2);
    progress.working("20260101000000_slow.sql");
    const shown = out.text();
    progress.stop();
    expect(shown).toMatch(/applying [█░]+ 0\/2 .*\| 20260101000000_slow\.sql/);
  });

  it("draws nothing when there is nothing to do", () => {
    const out = capture(true);
    const progress = createProgress(createOutput({ stdout: out.stream, stderr: out.stream }), { label: "applying", stream: out.stream });
    progress.start(0);
    progress.stop();
    expect(out.text()).toBe("");
  });

  it("with --json: no bar and no per-item lines", () => {
    expect(run(true, { json: true }).text).toBe("");
  });
});
