// A workflow change as Markdown for a pull request (comment, job summary, export-prod's PR body): what
// changed as nested lists, code parameters as ```diff blocks, and the Mermaid picture. Fits a size limit
// (a GitHub comment holds 65,536 characters) by leaving out, in order, diagrams, details and whole
// workflows, largest first, and says what it left out. Pure.
import { describeDiff, type Entry, type Text } from "./describe.ts";
import { renderMermaid } from "./render-mermaid.ts";
import type { WorkflowDiff } from "./workflow-diff.ts";

export interface DiffReport {
  /** the migration file, as the reader knows it (a path relative to the repository) */
  file: string;
  workflowId: string;
  /** the workflow's name in that file */
  name: string;
  /** what it is compared with: an earlier migration file, an environment's database, or nothing (new) */
  against: { file: string; rollsBackIn?: string } | { env: string } | { none: string };
  /** a rollback whose environment's version no file holds: where to see its effect */
  note?: string;
  diff: WorkflowDiff;
  /**
   * The file's environment values: the file holds `source`'s; applied in each target environment, these
   * replacements happen (differences that are only those are not shown as changes)
   */
  environmentValues?: { source: string; targets: Array<{ env: string; replacements: Array<{ name: string; from: string; to: string }> }> };
}

/** One line per replaced value and environment, e.g. "production: API_BASE: http://localhost:3000 -> https://api.example.com". */
export function environmentValueLines(report: DiffReport): string[] {
  const values = report.environmentValues;
  if (!values) return [];
  return values.targets.flatMap(({ env, replacements }) => {
    const seen = new Set<string>();
    return replacements.flatMap((r) => (seen.has(r.name) || !seen.add(r.name) ? [] : [`${env}: ${r.name}: ${r.from} -> ${r.to}`]));
  });
}

const SIGN: Record<Entry["sign"], string> = { "+": "🟢", "-": "🔴", "~": "🟡" };

/** The change as list lines (top level at `indent` spaces). */
export function markdownChanges(diff: WorkflowDiff, indent = 0): string[] {
  const told = describeDiff(diff);
  const pad = " ".repeat(indent);
  const lines: string[] = [];
  for (const section of told.sections) {
    lines.push(`${pad}- **${section.title}**`);
    for (const entry of section.entries) lines.push(...entryLines(entry, indent + 2));
    if (section.more > 0) lines.push(`${pad}  - and ${section.more} more`);
  }
  if (told.note) lines.push(`${pad}- ${told.note}`);
  return lines;
}

/** The Mermaid picture of the new version, in a details block GitHub renders open. */
export function markdownDiagram(diff: WorkflowDiff): string[] {
  const diagram = renderMermaid(diff.graph);
  const collapsed = diagram.collapsed > 0 ? `, ${diagram.collapsed} unchanged or distant nodes folded into ⋯ boxes` : "";
  return [
    `<details open><summary>Diagram: green added, amber changed, red dashed removed${collapsed}</summary>`,
    "",
    "```mermaid",
    diagram.text.trimEnd(),
    "```",
    "",
    "</details>",
  ];
}

export function renderDiffMarkdown(reports: readonly DiffReport[], options: { maxChars?: number; scope?: string } = {}): string {
  const header = [
    "## n8n workflow changes",
    "",
    reports.length === 0
      ? `No workflow migration to compare${options.scope ? ` (${text(options.scope)})` : ""}.`
      : `${reports.length} workflow migration${reports.length === 1 ? "" : "s"}${options.scope ? ` (${text(options.scope)})` : ""}.`,
  ];
  const parts = reports.map((report) => ({
    report,
    head: [
      `### ${text(report.name)} (${code(report.workflowId)})`,
      "",
      `${code(report.file)} ${againstText(report.against)}`,
      ...(report.note ? ["", `⚠️ ${text(report.note)}`] : []),
      "",
    ],
    changes: [...markdownChanges(report.diff), ...markdownEnvironmentValues(report)],
    diagram: ["", ...markdownDiagram(report.diff)],
    shown: { changes: true, diagram: true, section: true },
  }));
  const compose = (note: string[]) =>
    `${[
      ...header,
      ...parts.flatMap((p) =>
        !p.shown.section ? [] : ["", ...p.head, ...(p.shown.changes ? p.changes : [`_Details left out for size: run ${code(`npm run n8n:diff -- ${p.report.file}`)}._`]), ...(p.shown.diagram ? p.diagram : [])],
      ),
      ...note,
    ].join("\n")}\n`;
  const full = compose([]);
  const max = options.maxChars;
  if (max === undefined || full.length <= max) return full;

  const size = (lines: readonly string[]) => lines.join("\n").length;
  const cut = { diagram: [] as string[], changes: [] as string[], section: [] as string[] };
  const noteFor = () => {
    const said = [
      cut.diagram.length > 0 ? `the diagrams of ${names(cut.diagram)}` : "",
      cut.changes.length > 0 ? `the details of ${names(cut.changes)}` : "",
      cut.section.length > 0 ? `${names(cut.section)} entirely` : "",
    ].filter(Boolean);
    return ["", "---", `**Cut to fit ${max.toLocaleString("en-US")} characters:** left out ${said.join("; ")}. Run ${code("npm run n8n:diff -- --markdown")} on this branch for everything.`];
  };
  for (const kind of ["diagram", "changes", "section"] as const) {
    const order = [...parts].sort((a, b) => size(kind === "diagram" ? b.diagram : b.changes) - size(kind === "diagram" ? a.diagram : a.changes));
    for (const part of order) {
      if (compose(noteFor()).length <= max) return compose(noteFor());
      part.shown[kind] = false;
      cut[kind].push(part.report.name);
    }
  }
  return compose(noteFor()).slice(0, max);
}

/** The replacements per environment, as a list item (values are code: URLs stay unlinked). */
function markdownEnvironmentValues(report: DiffReport): string[] {
  const lines = environmentValueLines(report);
  if (lines.length === 0) return [];
  return [
    `- **Environment values** (the file holds ${text(report.environmentValues!.source)}'s; applied elsewhere they become that environment's)`,
    ...lines.map((line) => {
      const [env, name, change] = line.split(": ");
      const [from, to] = change!.split(" -> ");
      return `  - ${text(env!)}: ${code(name!)}: ${code(from!)} -> ${code(to!)}`;
    }),
  ];
}

function againstText(against: DiffReport["against"]): string {
  if ("file" in against && against.rollsBackIn) {
    return `compared with ${code(against.file)}, the version ${code(against.rollsBackIn)} had when this rollback was written: what the rollback does there.`;
  }
  if ("file" in against) return `compared with ${code(against.file)}, the newest earlier migration of this workflow.`;
  if ("env" in against) return `compared with what ${code(against.env)}'s database has now.`;
  return `is the first version: ${text(against.none)}.`;
}

function names(list: readonly string[]): string {
  const shown = list.slice(0, 10).map(text).join(", ");
  return list.length > 10 ? `${shown} and ${list.length - 10} more` : shown;
}

function entryLines(entry: Entry, indent: number): string[] {
  const pad = " ".repeat(indent);
  const lines = [`${pad}- ${SIGN[entry.sign]} ${inline(entry.text)}`];
  for (const detail of entry.details ?? []) lines.push(...entryLines(detail, indent + 2));
  if (entry.lines) {
    const body = entry.lines.map((line) => (line.op === "…" ? `@@ ${line.text} @@` : `${line.op}${line.text}`));
    const fence = "`".repeat(Math.max(3, ...body.map((line) => (line.match(/`+/g) ?? []).reduce((n, run) => Math.max(n, run.length + 1), 0))));
    lines.push(`${pad}  ${fence}diff`, ...body.map((line) => `${pad}  ${line}`), `${pad}  ${fence}`);
  }
  return lines;
}

function inline(parts: Text): string {
  return parts.map((part) => (typeof part === "string" ? text(part) : code(part.code))).join("");
}

/** Inline code whose fence is longer than any backtick run inside (CommonMark), on one line. */
export function code(value: string): string {
  const flat = value.replace(/[\r\n]+/g, " ");
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || flat === "" ? " " : "";
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Plain text with Markdown and HTML syntax escaped, on one line. */
export function text(value: string): string {
  return value.replace(/[\r\n]+/g, " ").replace(/[\\`*_[\]<>|~&]/g, (char) => `\\${char}`);
}
