// A workflow change told as a reviewer reads it, independent of where it is shown: sections of entries
// (+ added, - removed, ~ changed), each a sentence whose names and values are marked as code, values
// elided past a length with their size, code parameters as line diffs, long lists cut with "and N more".
// The terminal and Markdown renderers only format these. Pure.
import type { DiffLine } from "./line-diff.ts";
import type { Reference } from "./references.ts";
import type { Connection, NodeInfo, ValueChange, WorkflowDiff } from "./workflow-diff.ts";

export type Text = Array<string | { code: string }>;

export interface Entry {
  sign: "+" | "-" | "~";
  text: Text;
  details?: Entry[];
  /** a code parameter's line diff */
  lines?: DiffLine[];
}

export interface Section {
  title: string;
  entries: Entry[];
  /** entries left out past the limit */
  more: number;
}

export interface Told {
  sections: Section[];
  /** one line after the sections: layout counted, or "no change" */
  note?: string;
}

const MAX_ENTRIES = 40;
const MAX_DETAILS = 20;
const MAX_LINES = 60;
const MAX_VALUE = 80;

export function describeDiff(diff: WorkflowDiff): Told {
  const sections: Section[] = [];
  const add = (title: string, entries: Entry[]) => {
    if (entries.length > 0) sections.push({ title: `${title} (${entries.length})`, entries: entries.slice(0, MAX_ENTRIES), more: Math.max(0, entries.length - MAX_ENTRIES) });
  };
  const workflow: Entry[] = [];
  if (diff.renamed) workflow.push({ sign: "~", text: ["renamed ", { code: diff.renamed.from }, " → ", { code: diff.renamed.to }] });
  if (diff.archived) workflow.push({ sign: diff.archived.after ? "-" : "+", text: [diff.archived.after ? "archived (and so deactivated)" : "unarchived"] });
  if (diff.active) workflow.push({ sign: "~", text: [diff.active.after ? "activated" : "deactivated"] });
  add("Workflow", workflow);
  add("Nodes added", diff.nodesAdded.map((node) => ({ sign: "+", text: nodeText(node) })));
  add("Nodes removed", diff.nodesRemoved.map((node) => ({ sign: "-", text: nodeText(node) })));
  add(
    "Nodes changed",
    diff.nodesChanged.map((node) => ({
      sign: "~",
      text: [...nodeText(node), ...(node.previousName !== undefined ? [", renamed from ", { code: node.previousName }] : [])],
      details: limited(node.changes.map(valueEntry), MAX_DETAILS),
    })),
  );
  add("Connections added", diff.connectionsAdded.map((c) => ({ sign: "+", text: connectionText(c) })));
  add("Connections removed", diff.connectionsRemoved.map((c) => ({ sign: "-", text: connectionText(c) })));
  add("Settings changed", diff.settingsChanged.map(valueEntry));
  add("References", [
    ...diff.referencesAdded.map((ref): Entry => ({ sign: "+", text: [...referenceText(ref), " on ", { code: ref.node }] })),
    ...diff.referencesRemoved.map((ref): Entry => ({ sign: "-", text: [...referenceText(ref), " on ", { code: ref.node }] })),
    ...diff.referencesRepointed.map(({ before, after }): Entry => ({
      sign: "~",
      text: [`${after.kind} ${after.kind === "credential" ? "" : `${after.slot} `}`.trimEnd(), ...(after.kind === "credential" ? [" ", { code: after.slot }] : []), " on ", { code: after.node }, " repointed: ", ...target(before), " → ", ...target(after)],
    })),
  ]);
  add(
    "Community packages",
    diff.packagesAdded.map((change): Entry => ({
      sign: change.previousVersion === undefined ? "+" : "~",
      text: [
        { code: change.package },
        change.previousVersion === undefined ? ` ${change.version}` : ` ${change.previousVersion} → ${change.version}`,
        ` (node${change.nodes.length === 1 ? "" : "s"} `,
        ...change.nodes.flatMap((node, i) => [...(i > 0 ? [", "] : []), { code: node }]),
        "): install it where this applies",
      ],
    })),
  );
  const layout = diff.layoutChanges > 0 ? `Layout only: ${diff.layoutChanges} node${diff.layoutChanges === 1 ? "" : "s"} moved or resized (not listed).` : undefined;
  const nothing = sections.length === 0 ? "No change to the workflow, its nodes, connections, settings or references." : undefined;
  const note = [nothing, layout].filter(Boolean).join(" ");
  return { sections, ...(note ? { note } : {}) };
}

/** A JSON value on one line, cut past `max` characters with its size: `"abc…" (12,345 characters)`. */
export function showValue(value: unknown, max = MAX_VALUE): string {
  if (value === undefined) return "(none)";
  const text = JSON.stringify(value) ?? String(value);
  if ([...text].length <= max) return text;
  const size = typeof value === "string" ? value.length : text.length;
  return `${[...text].slice(0, max - 1).join("")}… (${size.toLocaleString("en-US")} characters)`;
}

function valueEntry(change: ValueChange): Entry {
  const sign = change.before === undefined ? "+" : change.after === undefined ? "-" : "~";
  if (change.lines) {
    return { sign, text: [{ code: change.path }, ":"], lines: cutLines(change.lines) };
  }
  const text: Text =
    sign === "+" ? [{ code: change.path }, " = ", { code: showValue(change.after) }]
    : sign === "-" ? [{ code: change.path }, " (was ", { code: showValue(change.before) }, ")"]
    : [{ code: change.path }, ": ", { code: showValue(change.before) }, " → ", { code: showValue(change.after) }];
  return { sign, text };
}

function cutLines(lines: DiffLine[]): DiffLine[] {
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES), { op: "…", text: `${lines.length - MAX_LINES} more diff lines` }];
}

function limited(entries: Entry[], max: number): Entry[] {
  if (entries.length <= max) return entries;
  return [...entries.slice(0, max), { sign: "~", text: [`and ${entries.length - max} more changes`] }];
}

function nodeText(node: NodeInfo): Text {
  return [{ code: node.name }, ` (${node.type || "no type"}${node.trigger ? ", trigger" : ""})`];
}

function connectionText(c: Connection): Text {
  const output = c.label && c.type === "main" ? ` [${c.label}]` : "";
  const via = [c.type === "main" ? "" : c.type, c.input > 0 ? `input ${c.input}` : ""].filter(Boolean).join(", ");
  return [{ code: c.from }, `${output} → `, { code: c.to }, via ? ` (${via})` : ""];
}

function referenceText(ref: Reference): Text {
  return ref.kind === "credential"
    ? ["credential ", { code: ref.slot }, " ", ...target(ref)]
    : [`${ref.kind} `, ...target(ref)];
}

function target(ref: Reference): Text {
  if (ref.id !== null && ref.name !== null) return [{ code: ref.name }, " (", { code: ref.id }, ")"];
  return [{ code: ref.name ?? ref.id ?? "(none)" }];
}
