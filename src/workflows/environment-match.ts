// Where an environment's values stand in a workflow's node parameters. Pure. A value matches only where
// a parameter's text IS it (match "whole") or starts with it at a URL boundary (match "prefix"): the
// whole parameter, the literal text an n8n expression (`=...{{ }}`) starts with, or a string literal
// inside `{{ ... }}`. Never in the middle of other text ("see http://localhost:3000" or
// "http://localhost:30001" are not the value http://localhost:3000).
//
// The result is a slot per matching parameter: its path and its text split into literal parts and value
// names, so that a file can rebuild the text with any environment's values by concatenation only (the
// SQL of a migration does exactly that; it never has to match anything itself).
import { isObject } from "../n8n/workflow.ts";
import type { MatchMode, ValuesTable } from "./environment-values.ts";

export interface ValueSlot {
  /** position of the node in `nodes`, from 0 */
  nodeIndex: number;
  /** the node's name, for reports */
  node: string;
  /** from the node: ["parameters", "url"], ["parameters", "headers", "0", "value"] (jsonb_set's path) */
  path: string[];
  /** literal, name, literal, name, ..., literal (odd positions are value names) */
  parts: string[];
}

interface Candidate {
  name: string;
  value: string;
  match: MatchMode;
}

/** After a prefix value, the text must go on with a path, query or fragment (or end). */
const PREFIX_BOUNDARY = new Set(["/", "?", "#"]);

/** Every parameter of the nodes holding one of `environment`'s values. */
export function findValueSlots(nodes: readonly unknown[], table: ValuesTable, environment: string): ValueSlot[] {
  const candidates = candidatesOf(table, environment);
  if (candidates.length === 0) return [];
  const slots: ValueSlot[] = [];
  nodes.forEach((node, nodeIndex) => {
    if (!isObject(node) || !isObject(node.parameters)) return;
    // PostgreSQL text cannot hold U+0000: such a label is shown with U+FFFD, such a parameter is left as it is.
    const name = typeof node.name === "string" ? node.name.replace(/\u0000/g, "\uFFFD") : `#${nodeIndex}`;
    walk(node.parameters, ["parameters"], (text, path) => {
      if (text.includes("\u0000") || path.some((key) => key.includes("\u0000"))) return;
      const parts = matchText(text, candidates);
      if (parts) slots.push({ nodeIndex, node: name, path, parts });
    });
  });
  return slots;
}

/** The values of one environment, longest first (the longer value wins where both would match). */
function candidatesOf(table: ValuesTable, environment: string): Candidate[] {
  return table
    .flatMap((entry) => {
      const value = entry.values[environment];
      return value ? [{ name: entry.name, value, match: entry.match }] : [];
    })
    .sort((a, b) => b.value.length - a.value.length);
}

function walk(value: unknown, path: string[], visit: (text: string, path: string[]) => void): void {
  if (typeof value === "string") visit(value, path);
  else if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, String(i)], visit));
  else if (isObject(value)) for (const [key, item] of Object.entries(value)) walk(item, [...path, key], visit);
}

/** The text split into literal parts and value names, or undefined when no value stands in it. */
export function matchText(text: string, candidates: readonly Candidate[]): string[] | undefined {
  const spans: Array<{ start: number; end: number; name: string }> = [];
  const at = (start: number, end: number, followed: boolean) => {
    const hit = matchSegment(text.slice(start, end), followed, candidates);
    if (hit) spans.push({ start, end: start + hit.length, name: hit.name });
  };
  if (!text.startsWith("=")) {
    at(0, text.length, false);
  } else {
    // The literal text the expression starts with, then the string literals inside each {{ ... }}.
    const firstOpen = text.indexOf("{{");
    at(1, firstOpen < 0 ? text.length : firstOpen, firstOpen >= 0);
    for (let open = firstOpen; open >= 0; open = text.indexOf("{{", open + 2)) {
      const close = text.indexOf("}}", open + 2);
      const end = close < 0 ? text.length : close;
      for (const literal of stringLiterals(text, open + 2, end)) at(literal.start, literal.end, literal.followed);
      if (close < 0) break;
      open = close;
    }
  }
  if (spans.length === 0) return undefined;
  const parts: string[] = [];
  let cursor = 0;
  for (const span of spans) {
    parts.push(text.slice(cursor, span.start), span.name);
    cursor = span.end;
  }
  parts.push(text.slice(cursor));
  return parts;
}

/** The value `segment` is (whole) or starts with (prefix); `followed`: more text follows the segment. */
function matchSegment(segment: string, followed: boolean, candidates: readonly Candidate[]): { name: string; length: number } | undefined {
  for (const c of candidates) {
    if (!segment.startsWith(c.value)) continue;
    const rest = segment.slice(c.value.length);
    if (c.match === "whole" ? rest === "" && !followed : rest === "" || PREFIX_BOUNDARY.has(rest[0]!)) {
      return { name: c.name, length: c.value.length };
    }
  }
  return undefined;
}

/**
 * The contents of the '...', "..." and `...` literals of expression code between `from` and `to`. A
 * literal with an escape is left out (its text is not the value's text); a template literal counts up
 * to its first `${` (`followed`: more of it follows).
 */
function stringLiterals(text: string, from: number, to: number): Array<{ start: number; end: number; followed: boolean }> {
  const literals: Array<{ start: number; end: number; followed: boolean }> = [];
  let i = from;
  while (i < to) {
    const quote = text[i]!;
    if (quote !== "'" && quote !== '"' && quote !== "`") {
      i++;
      continue;
    }
    let j = i + 1;
    let escaped = false;
    while (j < to && text[j] !== quote) {
      if (text[j] === "\\") {
        escaped = true;
        j++;
      }
      j++;
    }
    if (j >= to) break; // unterminated: not a literal
    if (!escaped) {
      const placeholder = quote === "`" ? text.indexOf("${", i + 1) : -1;
      const end = placeholder >= 0 && placeholder < j ? placeholder : j;
      literals.push({ start: i + 1, end, followed: end < j });
    }
    i = j + 1;
  }
  return literals;
}

/** A slot's text with each name replaced by `valueOf(name)`. */
export function fillSlot(parts: readonly string[], valueOf: (name: string) => string): string {
  return parts.map((part, i) => (i % 2 === 1 ? valueOf(part) : part)).join("");
}

export interface Replacement {
  name: string;
  node: string;
  from: string;
  to: string;
}

type ValuesByName = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** The target's value of a name, the source's where the target has none (as the SQL does). */
function valueIn(values: ValuesByName, name: string, source: string, target: string): { from: string; to: string } {
  const from = values[name]?.[source] ?? "";
  return { from, to: values[name]?.[target] ?? from };
}

/** What applying the slots in `target` replaces: once per name and node, only real changes. */
export function replacementsOf(slots: readonly ValueSlot[], values: ValuesByName, source: string, target: string): Replacement[] {
  const replacements: Replacement[] = [];
  for (const slot of slots) {
    slot.parts.forEach((name, i) => {
      if (i % 2 === 0) return;
      const { from, to } = valueIn(values, name, source, target);
      if (to !== from && !replacements.some((r) => r.name === name && r.node === slot.node)) replacements.push({ name, node: slot.node, from, to });
    });
  }
  return replacements;
}

/** The nodes as the file would leave them in `target`: each slot rebuilt with the target's values. */
export function replaceValues(
  nodes: readonly unknown[],
  slots: readonly ValueSlot[],
  values: ValuesByName,
  source: string,
  target: string,
): { nodes: unknown[]; replacements: Replacement[] } {
  const copy = structuredClone(nodes) as unknown[];
  for (const slot of slots) {
    let holder: unknown = copy[slot.nodeIndex];
    for (const key of slot.path.slice(0, -1)) holder = isObject(holder) || Array.isArray(holder) ? (holder as Record<string, unknown>)[key] : undefined;
    // A slot that no longer fits the nodes (hand-edited file) is left alone, as jsonb_set would.
    if (!isObject(holder) && !Array.isArray(holder)) continue;
    (holder as Record<string, unknown>)[slot.path[slot.path.length - 1]!] = fillSlot(slot.parts, (name) => valueIn(values, name, source, target).to);
  }
  return { nodes: copy, replacements: replacementsOf(slots, values, source, target) };
}
