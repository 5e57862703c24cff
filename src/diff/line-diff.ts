// A line diff of two texts (code parameters: jsCode, SQL queries, HTML), as hunks with a little context:
// what a reviewer reads in a code review. Longest common subsequence on the lines between the common
// head and tail; past a size where that would be slow, the middle is shown as removed then added. Pure.

export type LineOp = " " | "+" | "-" | "…";

export interface DiffLine {
  /** " " context, "+" added, "-" removed, "…" unchanged lines left out (text says how many) */
  op: LineOp;
  text: string;
}

const CONTEXT = 2;
/** lines × lines above which the middle is not aligned (keeps a huge rewrite fast) */
const MAX_CELLS = 4_000_000;

export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split(/\r?\n/);
  const b = after.split(/\r?\n/);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const middle = align(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  const all: DiffLine[] = [
    ...a.slice(0, head).map((text): DiffLine => ({ op: " ", text })),
    ...middle,
    ...a.slice(a.length - tail).map((text): DiffLine => ({ op: " ", text })),
  ];
  return withContext(all);
}

function align(a: readonly string[], b: readonly string[]): DiffLine[] {
  if (a.length * b.length > MAX_CELLS) return [...a.map((text): DiffLine => ({ op: "-", text })), ...b.map((text): DiffLine => ({ op: "+", text }))];
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..]
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ op: " ", text: a[i++]! });
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push({ op: "-", text: a[i++]! });
    } else {
      out.push({ op: "+", text: b[j++]! });
    }
  }
  return out;
}

/** Unchanged runs farther than CONTEXT lines from a change become one "…" line. */
function withContext(lines: readonly DiffLine[]): DiffLine[] {
  const near = lines.map(() => false);
  lines.forEach((line, index) => {
    if (line.op === " ") return;
    for (let k = Math.max(0, index - CONTEXT); k <= Math.min(lines.length - 1, index + CONTEXT); k++) near[k] = true;
  });
  const out: DiffLine[] = [];
  let skipped = 0;
  const flush = () => {
    if (skipped > 0) out.push({ op: "…", text: `${skipped} unchanged line${skipped === 1 ? "" : "s"}` });
    skipped = 0;
  };
  lines.forEach((line, index) => {
    if (near[index]) {
      flush();
      out.push(line);
    } else {
      skipped++;
    }
  });
  flush();
  return out;
}
