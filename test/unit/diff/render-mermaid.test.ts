// Every diagram goes through Mermaid's own parser (npm mermaid, with a jsdom window).
import { describe, expect, it } from "vitest";
import { direction, renderMermaid } from "../../../src/diff/render-mermaid.ts";
import { diffWorkflows } from "../../../src/diff/workflow-diff.ts";
import { parseMermaid } from "../../support/mermaid.ts";
import { aiAgent, big, chain, copy, generated, hostile, HOSTILE_NAMES } from "./workflows.ts";

/** Box lines (node definitions) of a diagram. */
const boxes = (text: string) => text.split("\n").filter((line) => /^ {2}[nc]\d+[[(]/.test(line));

describe("renderMermaid", () => {
  it("the bench generator's workflows, new and edited, parse", async () => {
    for (let seed = 1; seed <= 15; seed++) {
      const before = generated(seed);
      const after = copy(before);
      after.nodes[1]!.parameters.edited = seed;
      after.nodes.splice(2, 1);
      for (const diagram of [renderMermaid(diffWorkflows(undefined, before).graph), renderMermaid(diffWorkflows(before, after).graph)]) {
        await expect(parseMermaid(diagram.text)).resolves.toBe("flowchart-v2");
        expect(diagram.collapsed).toBe(0);
      }
    }
  });

  it("one box per node with name and type, triggers marked, output names on edges, statuses as classes", async () => {
    const before = aiAgent();
    const after = copy(before);
    after.nodes[1]!.parameters.options.systemMessage = "Be kind.";
    after.nodes.push({ id: "x1", name: "Reply ok?", type: "n8n-nodes-base.if", typeVersion: 2, position: [0, 0], parameters: {} });
    after.connections["Log conversation"] = { main: [[{ node: "Reply ok?", type: "main", index: 0 }]] };
    after.connections["Reply ok?"] = { main: [[], [{ node: "AI Agent", type: "main", index: 0 }]] };
    after.nodes.splice(3, 1);
    delete after.connections["Window Buffer Memory"];
    const { text } = renderMermaid(diffWorkflows(before, after).graph);
    await parseMermaid(text);
    expect(boxes(text)).toHaveLength(7);
    expect(text).toContain('(["▶ When chat message received<br/><small>chatTrigger</small>"])');
    expect(text).toMatch(/n1\["AI Agent<br\/><small>agent<\/small>"\]:::changed/);
    expect(text).toMatch(/\["Reply ok\?<br\/><small>if<\/small>"\]:::added/);
    expect(text).toMatch(/\["Window Buffer Memory<br\/><small>memoryBufferWindow<\/small>"\]:::removed/);
    expect(text).toContain('-.->|"ai_languageModel"| n1');
    expect(text).toContain('-.->|"ai_tool"| n1');
    expect(text).toMatch(/-->\|"false"\| n1/);
    expect(text).toMatch(/ -\.-x\|"ai_memory"\| n1/);
    expect(text).toMatch(/linkStyle \d+(,\d+)* stroke:#1a7f37/);
    expect(text).toMatch(/classDef removed [^\n]*stroke-dasharray/);
  });

  it("hostile names (quotes, brackets, emoji, -->, #, ;, backticks, newlines) neither break nor merge boxes", async () => {
    const before = hostile();
    const after = copy(before);
    after.nodes[3]!.parameters.x = 1;
    for (const graph of [diffWorkflows(undefined, before).graph, diffWorkflows(before, after).graph]) {
      const { text } = renderMermaid(graph);
      await expect(parseMermaid(text)).resolves.toBe("flowchart-v2");
      expect(boxes(text)).toHaveLength(HOSTILE_NAMES.length + 1);
      // Outside entities (#quot; #59; ...), a box line holds only its id, shape, one quoted label and a class.
      for (const line of boxes(text)) {
        expect(line.replace(/#\w+;/g, "")).toMatch(/^ {2}n\d+(\(\[|\[)"[^"`;#|<>]*<br\/><small>[^"`;#|<>]*<\/small>"(\]\)|\])(:::\w+)?$/);
      }
      expect(text).toContain("emoji 🚀🔥 ok");
      expect(text).toContain("Say #quot;hi#quot;");
      expect(text).toContain("A --#gt; B");
    }
  });

  it("each hostile name alone, as node and workflow name, parses", async () => {
    for (const name of HOSTILE_NAMES) {
      const wf = hostile();
      wf.nodes = [{ id: "1", name, type: "n8n-nodes-base.set", position: [0, 0], parameters: {} }, { id: "2", name: `${name}2`, type: "n8n-nodes-base.if", position: [0, 0], parameters: {} }];
      wf.connections = { [name]: { main: [[{ node: `${name}2`, type: "main", index: 0 }]] }, [`${name}2`]: { main: [[], [{ node: name, type: "main", index: 0 }]] } };
      await expect(parseMermaid(renderMermaid(diffWorkflows(undefined, wf).graph).text), name).resolves.toBe("flowchart-v2");
    }
  });

  it("long names are capped", async () => {
    const wf = generated(1);
    wf.nodes[1]!.name = `${"Very long node name ".repeat(20)}end`;
    wf.connections = {};
    const { text } = renderMermaid(diffWorkflows(undefined, wf).graph);
    await parseMermaid(text);
    expect(text).toContain("Very long node name Very long node name…");
    expect(text).not.toContain("end<br/>");
  });

  it("120 nodes, one changed: unchanged chains collapse, the change and its neighbours stay", async () => {
    const before = big(120);
    const after = copy(before);
    const changed = after.nodes[60]!;
    changed.parameters.edited = true;
    const diagram = renderMermaid(diffWorkflows(before, after).graph);
    await parseMermaid(diagram.text);
    expect(diagram.collapsed).toBeGreaterThan(30);
    expect(boxes(diagram.text).length).toBeLessThan(100);
    expect(diagram.text).toMatch(/c\d+\["⋯ \d+ unchanged nodes"\]:::collapsed/);
    const changedBoxes = boxes(diagram.text).filter((line) => line.endsWith(":::changed"));
    expect(changedBoxes).toHaveLength(1);
    expect(changedBoxes[0]).toContain(changed.name.replace(/[()]/g, (c: string) => `#${c.charCodeAt(0)};`));
  });

  it("500 nodes, new or edited in many places: within GitHub's Mermaid limits (50,000 characters, 500 edges) and parses", async () => {
    const before = big(500);
    const after = copy(before);
    for (let i = 5; i < 500; i += 25) after.nodes[i]!.parameters.edited = i;
    after.nodes.splice(100, 3);
    for (const graph of [diffWorkflows(undefined, before).graph, diffWorkflows(before, after).graph]) {
      const diagram = renderMermaid(graph);
      await expect(parseMermaid(diagram.text)).resolves.toBe("flowchart-v2");
      expect(diagram.text.length).toBeLessThanOrEqual(50_000);
      expect(diagram.text.split("\n").filter((l) => / (-->|-\.->|-\.-x)/.test(l)).length).toBeLessThanOrEqual(500);
      expect(boxes(diagram.text).length).toBeLessThanOrEqual(100);
      expect(diagram.collapsed).toBeGreaterThan(300);
    }
  });

  it("a long chain runs top-down, so that GitHub does not shrink it to a strip; a short one left to right", async () => {
    const long = renderMermaid(diffWorkflows(undefined, chain(13)).graph).text;
    expect(long.split("\n")[0]).toBe("flowchart TD");
    await expect(parseMermaid(long)).resolves.toBe("flowchart-v2");
    expect(boxes(long)).toHaveLength(13);
    const short = renderMermaid(diffWorkflows(undefined, chain(5)).graph).text;
    expect(short.split("\n")[0]).toBe("flowchart LR");
    await expect(parseMermaid(short)).resolves.toBe("flowchart-v2");
  });

  it("direction: columns are the longest path (a loop's way back adds none); wider than long stays left to right", () => {
    const path = (n: number) => Array.from({ length: n - 1 }, (_, i) => [`n${i}`, `n${i + 1}`] as const);
    const names = (n: number) => Array.from({ length: n }, (_, i) => `n${i}`);
    expect(direction(names(6), path(6))).toBe("TD");
    expect(direction(names(5), path(5))).toBe("LR");
    // A loop back to the start: still 6 columns, and no endless walk.
    expect(direction(names(6), [...path(6), ["n5", "n0"]])).toBe("TD");
    // 6 columns, but 8 boxes side by side in one of them: as wide either way, left to right stays.
    const fan = [...path(6), ...Array.from({ length: 7 }, (_, i) => ["n0", `f${i}`] as const)];
    expect(direction([...names(6), ...Array.from({ length: 7 }, (_, i) => `f${i}`)], fan)).toBe("LR");
  });
});
