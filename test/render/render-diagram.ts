// npm run test:render: draws two diff diagrams in a real browser, Debian's chromium with mermaid's own
// browser bundle from node_modules on a file:// page, in a column as wide as GitHub's (COLUMN_PX), and
// writes the PNGs for a person to look at: a 15-node change (the bench generator's workflow with nodes
// added, changed and removed, an AI agent part, an IF's named outputs) and a new 13-node chain. Fails
// when Mermaid reports an error, draws no SVG, or scales the node names below MIN_NAME_PX (GitHub fits a
// wide picture to its column: a long chain drawn left to right came out with ~5 px names). Not part of
// npm test (it needs chromium: `apt-get install -y chromium`).
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { renderMermaid } from "../../src/diff/render-mermaid.ts";
import { diffWorkflows } from "../../src/diff/workflow-diff.ts";
import { aiAgent, chain, copy, generated } from "../unit/diff/workflows.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const OUT = path.join(ROOT, "test/render/out");
const run = promisify(execFile);
/** the width GitHub gives a comment's or a file's Markdown */
const COLUMN_PX = 880;
/** node names smaller than this on screen are read only by zooming */
const MIN_NAME_PX = 11;

/** A workflow of 12 nodes (trigger, IFs, Code, HTTP, Set) plus an agent with its model and a tool. */
function fifteenNodeChange() {
  const base = generated(2);
  base.nodes = base.nodes.slice(0, 10);
  const agent = aiAgent();
  const before = { ...base, nodes: [...base.nodes, agent.nodes[1]!, agent.nodes[2]!, agent.nodes[3]!] };
  const kept = new Set(before.nodes.map((n) => n.name));
  before.connections = Object.fromEntries(
    Object.entries({ ...base.connections, ...agent.connections })
      .filter(([from]) => kept.has(from))
      .map(([from, byType]) => [from, Object.fromEntries(Object.entries(byType as object).map(([t, outs]) => [t, (outs as any[]).map((o) => o.filter((c: any) => kept.has(c.node)))]))]),
  );
  before.connections[base.nodes[9]!.name] = { main: [[{ node: "AI Agent", type: "main", index: 0 }]] };
  const after = copy(before);
  after.nodes[3]!.parameters.changed = true;
  after.nodes[10]!.parameters.options.systemMessage = "Answer in German.";
  after.nodes.push(agent.nodes[4]!, { id: "r1", name: 'Reply "done" --> #ops', type: "n8n-nodes-base.slack", typeVersion: 2, position: [0, 0], parameters: {} });
  after.connections["Look up order"] = agent.connections["Look up order"];
  after.connections["AI Agent"] = { main: [[{ node: 'Reply "done" --> #ops', type: "main", index: 0 }]] };
  const removed = after.nodes.splice(12, 1)[0]!; // the memory node
  delete after.connections[removed.name];
  return diffWorkflows(before, after);
}

const change = fifteenNodeChange();
if (change.graph.nodes.length !== 15) throw new Error(`expected a 15-node diagram, got ${change.graph.nodes.length}`);
const longChain = diffWorkflows(undefined, chain(13));
if (!existsSync(CHROMIUM)) {
  process.stderr.write(`error: ${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM\n`);
  process.exit(1);
}
mkdirSync(OUT, { recursive: true });
const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--allow-file-access-from-files", "--virtual-time-budget=10000"];

for (const [name, diff] of [["diff-diagram", change], ["chain-13-diagram", longChain]] as const) {
  const diagram = renderMermaid(diff.graph);
  const nameSize = await renderInChromium(name, diagram.text);
  const counts = ["added", "changed", "removed", "same"].map((status) => `${diff.graph.nodes.filter((n) => n.status === status).length} ${status}`);
  const direction = diagram.text.split("\n")[0];
  if (nameSize < MIN_NAME_PX) {
    process.stderr.write(`error: ${name} (${direction}): node names ${nameSize.toFixed(1)} px at ${COLUMN_PX} px wide, below ${MIN_NAME_PX} px\n`);
    process.exit(1);
  }
  process.stdout.write(
    `drew ${diff.graph.nodes.length} nodes (${counts.join(", ")}) with chromium, ${direction}, names ${nameSize.toFixed(1)} px at ${COLUMN_PX} px wide: ${path.relative(ROOT, path.join(OUT, `${name}.png`))}\n`,
  );
}

/** Draws the diagram in a column of COLUMN_PX, writes its PNG; the node names' size on screen in px. */
async function renderInChromium(name: string, text: string): Promise<number> {
  const bundle = pathToFileURL(path.join(ROOT, "node_modules/mermaid/dist/mermaid.min.js")).href;
  const page = path.join(OUT, `${name}.html`);
  writeFileSync(path.join(OUT, `${name}.mmd`), text);
  // The names' size on screen: their font size times the scale the SVG is drawn at (Mermaid's
  // useMaxWidth fits a wider picture to the column, as GitHub's page does).
  writeFileSync(
    page,
    `<!doctype html><meta charset="utf-8"><title>pending</title>
<body style="margin:0;background:#fff"><div id="out" style="width:${COLUMN_PX}px"></div><pre id="status">pending</pre>
<script src="${bundle}"></script>
<script>
  const text = ${JSON.stringify(text).replace(/</g, "\\u003c")};
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "default" });
  mermaid.render("diagram", text).then(
    ({ svg }) => {
      document.getElementById("out").innerHTML = svg;
      const drawn = document.querySelector("#out svg");
      const scale = drawn.getBoundingClientRect().width / drawn.viewBox.baseVal.width;
      const sizes = [...drawn.querySelectorAll(".nodeLabel")].map((label) => parseFloat(getComputedStyle(label).fontSize) * scale);
      document.getElementById("status").textContent = "rendered " + Math.min(...sizes).toFixed(2);
    },
    (error) => { document.getElementById("status").textContent = "mermaid error: " + error.message; },
  );
</script>`,
  );
  const { stdout: dom } = await run(CHROMIUM, [...flags, "--dump-dom", pathToFileURL(page).href], { maxBuffer: 64 * 1024 * 1024 });
  const status = /<pre id="status">([^<]*)<\/pre>/.exec(dom)?.[1] ?? "no status";
  const rendered = /^rendered (\d+(?:\.\d+)?)$/.exec(status);
  if (!rendered || !dom.includes("<svg")) {
    process.stderr.write(`error: the browser did not draw ${name} (${status})\n`);
    process.exit(1);
  }
  const png = path.join(OUT, `${name}.png`);
  await run(CHROMIUM, [...flags, "--hide-scrollbars", `--window-size=${COLUMN_PX + 20},1400`, `--screenshot=${png}`, pathToFileURL(page).href]);
  if (!existsSync(png)) {
    process.stderr.write(`error: chromium wrote no screenshot of ${name}\n`);
    process.exit(1);
  }
  return Number(rendered[1]);
}
