// The benchmark's results: medians over runs, ratios against the peer tools, the goals from the issue,
// and the table printed at the end. Pure.

export interface Sample {
  ms: number;
  peakMiB: number;
}

export interface Series {
  /** what was measured, e.g. "apply 1000 pending" */
  task: string;
  /** which tool, e.g. "n8n-sync migrate-up" */
  tool: string;
  samples: Sample[];
  /** why it was not measured (peer not installed, script not written yet) */
  missing?: string;
}

export interface Comparison {
  task: string;
  ours: string;
  peer: string;
  /** the issue's goal for ours/peer time, if any (never asserted) */
  targetRatio?: number;
  /** the tool (same task) whose time is the floor under ours: what no implementation can beat */
  floor?: string;
  /** what the floor is made of, for the table */
  floorNote?: string;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface Summary {
  task: string;
  tool: string;
  runs: number;
  medianMs: number;
  medianPeakMiB: number;
  missing?: string;
}

export function summarize(series: Series): Summary {
  return {
    task: series.task,
    tool: series.tool,
    runs: series.samples.length,
    medianMs: round(median(series.samples.map((sample) => sample.ms))),
    medianPeakMiB: round(median(series.samples.map((sample) => sample.peakMiB))),
    ...(series.missing ? { missing: series.missing } : {}),
  };
}

export interface Ratio {
  task: string;
  ours: string;
  peer: string;
  timeRatio: number;
  memoryRatio: number;
  targetRatio?: number;
  meetsTarget?: boolean;
  floorMs?: number;
  floorNote?: string;
}

export function ratios(summaries: readonly Summary[], comparisons: readonly Comparison[]): Ratio[] {
  const find = (task: string, tool: string) => summaries.find((summary) => summary.task === task && summary.tool === tool && !summary.missing);
  return comparisons.flatMap((comparison) => {
    const ours = find(comparison.task, comparison.ours);
    const peer = find(comparison.task, comparison.peer);
    if (!ours || !peer) return [];
    const timeRatio = round(ours.medianMs / peer.medianMs, 3);
    const floor = comparison.floor ? find(comparison.task, comparison.floor) : undefined;
    return [
      {
        task: comparison.task,
        ours: comparison.ours,
        peer: comparison.peer,
        timeRatio,
        memoryRatio: round(ours.medianPeakMiB / peer.medianPeakMiB, 3),
        ...(comparison.targetRatio === undefined ? {} : { targetRatio: comparison.targetRatio, meetsTarget: timeRatio <= comparison.targetRatio }),
        ...(floor ? { floorMs: floor.medianMs, floorNote: comparison.floorNote ?? floor.tool } : {}),
      },
    ];
  });
}

export function renderTable(summaries: readonly Summary[], ratioRows: readonly Ratio[], memoryGoalMiB: number): string {
  const lines: string[] = [];
  const rows = summaries.map((summary) => [
    summary.task,
    summary.tool,
    summary.missing ? "-" : String(summary.runs),
    summary.missing ? `not measured: ${summary.missing}` : `${(summary.medianMs / 1000).toFixed(3)} s`,
    summary.missing ? "" : `${summary.medianPeakMiB.toFixed(0)} MiB${summary.tool.startsWith("n8n-sync") && summary.medianPeakMiB >= memoryGoalMiB ? " (goal < " + memoryGoalMiB + ")" : ""}`,
  ]);
  lines.push(...table(["task", "tool", "runs", "median time", "median peak memory"], rows));
  if (ratioRows.length > 0) {
    lines.push("");
    lines.push(
      ...table(
        ["task", "ours / peer", "time ratio", "memory ratio", "goal (time)", "floor"],
        ratioRows.map((row) => [
          row.task,
          `${row.ours} / ${row.peer}`,
          `${row.timeRatio.toFixed(2)}x`,
          `${row.memoryRatio.toFixed(2)}x`,
          row.targetRatio === undefined ? "" : `<= ${row.targetRatio}x ${row.meetsTarget ? "met" : "NOT met"}`,
          row.floorMs === undefined ? "" : `${(row.floorMs / 1000).toFixed(3)} s = ${row.floorNote}`,
        ]),
      ),
    );
  }
  return lines.join("\n");
}

export interface GrowthRow {
  /** e.g. "export", "apply" */
  task: string;
  tool: string;
  /** per size, in the order of `sizes` */
  points: Array<{ ms: number; peakMiB: number } | undefined>;
}

/** The growth series (task "growth: <name> <size>") as one row per task and tool, one column per size. */
export function growthRows(summaries: readonly Summary[], sizes: readonly number[]): GrowthRow[] {
  const rows = new Map<string, GrowthRow>();
  for (const summary of summaries) {
    const match = /^growth: (.+) (\d+)$/.exec(summary.task);
    if (!match || summary.missing) continue;
    const index = sizes.indexOf(Number(match[2]));
    if (index < 0) continue;
    const key = `${match[1]}\0${summary.tool}`;
    const row = rows.get(key) ?? { task: match[1]!, tool: summary.tool, points: sizes.map(() => undefined) };
    row.points[index] = { ms: summary.medianMs, peakMiB: summary.medianPeakMiB };
    rows.set(key, row);
  }
  return [...rows.values()];
}

/** Time and peak memory at each size, and peak memory at the largest size over the smallest (against the goal where there is one). */
export function renderGrowth(rows: readonly GrowthRow[], sizes: readonly number[], goal: { tasks: readonly string[]; ratio: number }): string {
  const first = sizes[0];
  const last = sizes.at(-1);
  return table(
    ["task", "tool", ...sizes.map((size) => `N=${size}`), `peak ${last} / ${first}`],
    rows.map((row) => {
      const [low, high] = [row.points[0], row.points.at(-1)];
      const growth = low && high ? high.peakMiB / low.peakMiB : Number.NaN;
      return [
        row.task,
        row.tool,
        ...row.points.map((point) => (point ? `${(point.ms / 1000).toFixed(2)} s, ${point.peakMiB.toFixed(0)} MiB` : "-")),
        Number.isNaN(growth)
          ? "-"
          : `${growth.toFixed(2)}x${goal.tasks.includes(row.task) ? ` (goal <= ${goal.ratio}x ${growth <= goal.ratio ? "met" : "NOT met"})` : ""}`,
      ];
    }),
  ).join("\n");
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  return [line(header), `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`, ...rows.map(line)];
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
