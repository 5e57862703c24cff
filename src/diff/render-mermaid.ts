// The picture of a workflow change: a Mermaid flowchart of the new version (GitHub renders ```mermaid
// blocks), one box per node with its name and type, triggers as rounded boxes marked ▶, an edge per
// connection with its output's name, AI sub-connections dotted; added nodes green, changed amber, removed
// dashed red (with their removed edges). Large workflows stay readable and within what GitHub's Mermaid
// draws (50,000 characters, 500 edges): above FULL_NODES nodes, runs of unchanged nodes collapse into one
// "⋯ N unchanged nodes" box; if that is still too big only the changes and their neighbours are drawn;
// then at most MAX_NODES boxes. Names are capped and every character Mermaid treats as syntax is
// written as an entity, so no node name can break the diagram. A long chain runs top-down: drawn left
// to right, GitHub scales a 13-node strip to page width and its names to a few pixels. Pure.
import type { DiffGraph, NodeStatus } from "./workflow-diff.ts";

/** up to this many nodes the whole workflow is drawn */
const FULL_NODES = 30;
const MAX_NODES = 100;
const MAX_TEXT = 40_000;
const MAX_EDGES = 400;
const NAME_CHARS = 40;
/**
 * At most this many boxes in a row left to right: a box is up to ~250 px wide, and GitHub fits the
 * picture to its ~880 px column, so more columns shrink the names below a readable size.
 */
const MAX_COLUMNS = 5;
const TYPE_CHARS = 30;

const STYLES = [
  "classDef added fill:#dafbe1,stroke:#1a7f37,color:#0a3622,stroke-width:2px",
  "classDef changed fill:#fff8c5,stroke:#9a6700,color:#3b2300,stroke-width:2px",
  "classDef removed fill:#ffebe9,stroke:#cf222e,color:#82071e,stroke-width:2px,stroke-dasharray:5 5",
  "classDef collapsed fill:#f6f8fa,stroke:#8c959f,color:#57606a,stroke-dasharray:2 2",
];
const EDGE_COLORS = { added: "stroke:#1a7f37,stroke-width:2px", removed: "stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 5" };

type Node = DiffGraph["nodes"][number];
type Edge = DiffGraph["edges"][number];

export interface MermaidDiagram {
  text: string;
  /** nodes folded into "⋯" boxes (0: every node drawn) */
  collapsed: number;
}

export function renderMermaid(graph: DiffGraph): MermaidDiagram {
  const interesting = new Set(graph.nodes.filter((n) => n.status !== "same").map((n) => n.key));
  const neighbours = new Set<string>();
  for (const edge of graph.edges) {
    if (interesting.has(edge.from)) neighbours.add(edge.to);
    if (interesting.has(edge.to)) neighbours.add(edge.from);
  }
  const focus = (n: Node) => n.status !== "same" || n.trigger || neighbours.has(n.key);
  const degree = degrees(graph.edges);
  const branch = (n: Node) => (degree.in.get(n.key) ?? 0) !== 1 || (degree.out.get(n.key) ?? 0) !== 1;
  const attempts: Array<(n: Node) => boolean> =
    graph.nodes.length <= FULL_NODES ? [() => true] : [(n) => focus(n) || branch(n), focus];
  for (const keep of attempts) {
    const drawn = draw(graph, keep);
    if (fits(drawn)) return drawn;
  }
  // Still too big (a large new workflow): the first nodes of the focus, changes before context.
  const rank = (n: Node) => (n.status === "same" ? 1 : 0);
  const ordered = graph.nodes.filter(focus).sort((a, b) => rank(a) - rank(b));
  for (let limit = MAX_NODES; ; limit = Math.floor(limit / 2)) {
    const chosen = new Set(ordered.slice(0, limit).map((n) => n.key));
    const drawn = draw(graph, (n) => chosen.has(n.key));
    if (fits(drawn) || limit <= 1) return drawn;
  }
}

function fits(diagram: { text: string; nodes: number; edges: number }): boolean {
  return diagram.text.length <= MAX_TEXT && diagram.nodes <= MAX_NODES && diagram.edges <= MAX_EDGES;
}

/** Draws the kept nodes; each connected group of the others becomes one "⋯" box. */
function draw(graph: DiffGraph, keep: (n: Node) => boolean): MermaidDiagram & { nodes: number; edges: number } {
  const ids = new Map<string, string>();
  const kept = graph.nodes.filter(keep);
  kept.forEach((n, i) => ids.set(n.key, `n${i}`));
  const hidden = graph.nodes.filter((n) => !ids.has(n.key));
  const groups = groupHidden(hidden, graph.edges);
  const lines = ["flowchart LR"];
  const links: Array<[string, string]> = [];
  for (const n of kept) lines.push(`  ${ids.get(n.key)}${box(n)}${n.status === "same" ? "" : `:::${n.status}`}`);
  groups.forEach((members, i) => {
    const id = `c${i}`;
    for (const member of members) ids.set(member.key, id);
    lines.push(`  ${id}["${escape(groupLabel(members))}"]:::collapsed`);
  });
  const seen = new Set<string>();
  const styled: Record<"added" | "removed", number[]> = { added: [], removed: [] };
  let count = 0;
  for (const edge of graph.edges) {
    const from = ids.get(edge.from);
    const to = ids.get(edge.to);
    if (!from || !to || (from === to && from.startsWith("c"))) continue;
    const label = edge.label ? `|"${escape(cap(edge.label, NAME_CHARS))}"|` : "";
    const arrow = edge.status === "removed" ? "-.-x" : edge.type === "main" ? "-->" : "-.->";
    const line = `  ${from} ${arrow}${label} ${to}`;
    if (seen.has(line)) continue;
    seen.add(line);
    lines.push(line);
    links.push([from, to]);
    if (edge.status !== "same") styled[edge.status].push(count);
    count++;
  }
  lines[0] = `flowchart ${direction([...new Set(ids.values())], links)}`;
  lines.push(...STYLES.map((style) => `  ${style}`));
  for (const status of ["added", "removed"] as const) {
    if (styled[status].length > 0) lines.push(`  linkStyle ${styled[status].join(",")} ${EDGE_COLORS[status]}`);
  }
  return { text: `${lines.join("\n")}\n`, collapsed: hidden.length, nodes: kept.length + groups.length, edges: count };
}

/**
 * LR, unless the longest path has more than MAX_COLUMNS boxes and is longer than the widest column:
 * then TD, where the picture is as wide as the widest column instead.
 */
export function direction(boxes: readonly string[], links: ReadonlyArray<readonly [string, string]>): "LR" | "TD" {
  const column = columns(boxes, links);
  const perColumn = new Map<number, number>();
  for (const c of column.values()) perColumn.set(c, (perColumn.get(c) ?? 0) + 1);
  const depth = perColumn.size;
  const breadth = Math.max(0, ...perColumn.values());
  return depth > MAX_COLUMNS && depth > breadth ? "TD" : "LR";
}

/** Each box's column as a layered layout puts it: its longest path from a start (loops' back edges ignored). */
function columns(boxes: readonly string[], links: ReadonlyArray<readonly [string, string]>): Map<string, number> {
  const out = new Map<string, string[]>(boxes.map((b) => [b, []]));
  for (const [from, to] of links) if (from !== to) out.get(from)?.push(to);
  // Depth-first post-order without the edges that close a loop, reversed: a topological order.
  const order: string[] = [];
  const state = new Map<string, "open" | "done">();
  for (const start of boxes) {
    if (state.has(start)) continue;
    const stack: Array<[string, number]> = [[start, 0]];
    state.set(start, "open");
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const next = out.get(top[0])![top[1]++];
      if (next === undefined) {
        state.set(top[0], "done");
        order.push(top[0]);
        stack.pop();
      } else if (!state.has(next)) {
        state.set(next, "open");
        stack.push([next, 0]);
      } else if (state.get(next) === "open") {
        out.get(top[0])![top[1] - 1] = ""; // a back edge: the loop's way back, not a column further
      }
    }
  }
  const column = new Map<string, number>(boxes.map((b) => [b, 0]));
  for (const from of order.reverse()) {
    for (const to of out.get(from)!) if (to) column.set(to, Math.max(column.get(to)!, column.get(from)! + 1));
  }
  return column;
}

function box(n: Node): string {
  const label = `${n.trigger ? "▶ " : ""}${escape(cap(n.name, NAME_CHARS))}<br/><small>${escape(cap(shortType(n.type), TYPE_CHARS))}</small>`;
  return n.trigger ? `(["${label}"])` : `["${label}"]`;
}

function groupLabel(members: readonly Node[]): string {
  const counts = new Map<NodeStatus, number>();
  for (const m of members) counts.set(m.status, (counts.get(m.status) ?? 0) + 1);
  const noun = members.length === 1 ? "node" : "nodes";
  if (counts.size === 1 && counts.has("same")) return `⋯ ${members.length} unchanged ${noun}`;
  const parts = [...counts].map(([status, n]) => `${n} ${status === "same" ? "unchanged" : status}`);
  return `⋯ ${members.length} ${noun} not drawn (${parts.join(", ")})`;
}

/** Connected groups of hidden nodes (edges in either direction), in node order. */
function groupHidden(hidden: readonly Node[], edges: readonly Edge[]): Node[][] {
  const parent = new Map(hidden.map((n) => [n.key, n.key]));
  const root = (key: string): string => {
    let k = key;
    while (parent.get(k) !== k) k = parent.get(k)!;
    parent.set(key, k);
    return k;
  };
  for (const edge of edges) if (parent.has(edge.from) && parent.has(edge.to)) parent.set(root(edge.from), root(edge.to));
  const groups = new Map<string, Node[]>();
  for (const n of hidden) groups.set(root(n.key), [...(groups.get(root(n.key)) ?? []), n]);
  return [...groups.values()];
}

function degrees(edges: readonly Edge[]) {
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const result = { in: new Map<string, number>(), out: new Map<string, number>() };
  for (const edge of edges) {
    count(result.out, edge.from);
    count(result.in, edge.to);
  }
  return result;
}

/** n8n-nodes-base.httpRequest -> httpRequest, @n8n/n8n-nodes-langchain.agent -> agent */
function shortType(type: string): string {
  return type.slice(type.lastIndexOf(".") + 1) || type || "?";
}

/** At most `max` characters (code points, so an emoji is never cut in half), then "…". */
function cap(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, " ").trim()];
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}…`;
}

/** Text inside a quoted Mermaid label: quotes, entity and statement syntax, HTML and Markdown as entities. */
function escape(text: string): string {
  return text.replace(/["#;<>&`|\\{}[\]()]/g, (char) => ENTITIES[char] ?? `#${char.codePointAt(0)};`);
}

const ENTITIES: Record<string, string> = { '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;" };
