// A workflow change for the terminal: one block per migration, + green, - red, ~ yellow, code
// parameters as indented line diffs. Colour only when asked (the command asks on a TTY without
// NO_COLOR, as picocolors decides). Pure.
import pc from "picocolors";
import { describeDiff, type Entry, type Text } from "./describe.ts";
import { environmentValueLines, type DiffReport } from "./render-markdown.ts";

export function renderDiffTerminal(reports: readonly DiffReport[], options: { color: boolean }): string[] {
  const c = pc.createColors(options.color);
  const paint: Record<Entry["sign"] | " " | "…", (s: string) => string> = { "+": c.green, "-": c.red, "~": c.yellow, " ": c.dim, "…": c.cyan };
  const inline = (parts: Text) => parts.map((part) => (typeof part === "string" ? part : c.bold(part.code.replace(/[\r\n]+/g, " ")))).join("");
  const entry = (e: Entry, indent: number): string[] => {
    const pad = " ".repeat(indent);
    const lines = [`${pad}${paint[e.sign](e.sign)} ${inline(e.text)}`];
    for (const detail of e.details ?? []) lines.push(...entry(detail, indent + 4));
    for (const line of e.lines ?? []) lines.push(`${pad}    ${paint[line.op](line.op === "…" ? `… ${line.text}` : `${line.op} ${line.text}`)}`);
    return lines;
  };
  const out: string[] = [];
  for (const report of reports) {
    const against =
      "file" in report.against
        ? `against ${report.against.file}${report.against.rollsBackIn ? ` (${report.against.rollsBackIn}'s version when the rollback was written)` : ""}`
        : "env" in report.against ? `against ${report.against.env}'s database` : `new: ${report.against.none}`;
    out.push(`${c.bold(report.name)} ${c.dim(`(${report.workflowId})`)}  ${report.file}  ${c.dim(against)}`);
    if (report.note) out.push(`  ${c.yellow(report.note)}`);
    const told = describeDiff(report.diff);
    for (const section of told.sections) {
      out.push(`  ${section.title}`);
      for (const e of section.entries) out.push(...entry(e, 4));
      if (section.more > 0) out.push(`    … and ${section.more} more`);
    }
    const values = environmentValueLines(report);
    if (values.length > 0) {
      out.push(`  environment values (the file holds ${report.environmentValues!.source}'s; applied elsewhere they become that environment's)`);
      for (const line of values) out.push(`    ${c.cyan("=")} ${line}`);
    }
    if (told.note) out.push(`  ${c.dim(told.note)}`);
    out.push("");
  }
  return out;
}
