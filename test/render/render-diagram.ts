// npm run test:render: draws a 15-node diff diagram (the bench generator's workflow with nodes added,
// changed and removed, an AI agent part, an IF's named outputs) in a real browser, Debian's chromium
// with mermaid's own browser bundle from node_modules on a file:// page, and writes the PNG for a person
// to look at. Fails when Mermaid reports an error or draws no SVG. Not part of npm test (it needs
// chromium: `apt-get install -y chromium`).
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { renderMermaid } from "../../src/diff/render-mermaid.ts";
import { diffWorkflows } from "../../src/diff/workflow-diff.ts";
import { aiAgent, copy, generated } from "../unit/diff/workflows.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const OUT = path.join(ROOT, "test/render/out");
const run = promisify(execFile);

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

const diff = fifteenNodeChange();
const diagram = renderMermaid(diff.graph);
const boxes = diff.graph.nodes.length;
if (boxes !== 15) throw new Error(`expected a 15-node diagram, got ${boxes}`);
if (!existsSync(CHROMIUM)) {
  process.stderr.write(`error: ${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM\n`);
  process.exit(1);
}

mkdirSync(OUT, { recursive: true });
const bundle = pathToFileURL(path.join(ROOT, "node_modules/mermaid/dist/mermaid.min.js")).href;
const page = path.join(OUT, "diagram.html");
writeFileSync(path.join(OUT, "diagram.mmd"), diagram.text);
writeFileSync(
  page,
  `<!doctype html><meta charset="utf-8"><title>pending</title>
<body style="margin:0;background:#fff"><div id="out"></div><pre id="status">pending</pre>
<script src="${bundle}"></script>
<script>
  const text = ${JSON.stringify(diagram.text).replace(/</g, "\\u003c")};
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "default" });
  mermaid.render("diagram", text).then(
    ({ svg }) => { document.getElementById("out").innerHTML = svg; document.getElementById("status").textContent = "rendered"; },
    (error) => { document.getElementById("status").textContent = "mermaid error: " + error.message; },
  );
</script>`,
);

const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", "--allow-file-access-from-files", "--virtual-time-budget=10000"];
const { stdout: dom } = await run(CHROMIUM, [...flags, "--dump-dom", pathToFileURL(page).href], { maxBuffer: 64 * 1024 * 1024 });
const status = /<pre id="status">([^<]*)<\/pre>/.exec(dom)?.[1] ?? "no status";
if (status !== "rendered" || !dom.includes("<svg")) {
  process.stderr.write(`error: the browser did not draw the diagram (${status})\n`);
  process.exit(1);
}
const png = path.join(OUT, "diff-diagram.png");
await run(CHROMIUM, [...flags, "--hide-scrollbars", "--window-size=1900,700", `--screenshot=${png}`, pathToFileURL(page).href]);
if (!existsSync(png)) {
  process.stderr.write("error: chromium wrote no screenshot\n");
  process.exit(1);
}
const counts = ["added", "changed", "removed", "same"].map((status) => `${diff.graph.nodes.filter((n) => n.status === status).length} ${status}`);
process.stdout.write(`drew ${boxes} nodes (${counts.join(", ")}) with chromium: ${path.relative(ROOT, png)}\n`);
