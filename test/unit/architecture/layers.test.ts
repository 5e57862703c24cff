// The layers of src/ point down only (README "Architecture" lists them top to bottom: LAYERS here, and a
// test holds the two equal): a module imports its own folder, its layer's other folders (as long as no two folders
// import each other, directly or round a cycle) or a lower layer; nothing under src/ imports test/ or
// bench/. Reads every import of every file, static and dynamic, so a new violation fails here.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const SRC = path.join(ROOT, "src");

/** top to bottom; an entry is a folder of src/ or a single file of it */
const LAYERS: readonly (readonly string[])[] = [
  ["cli", "index.ts"],
  ["demo", "init"],
  ["diff", "migrate-up", "prod-sync", "rollback", "status", "validate"],
  ["secrets"],
  ["workflows"],
  ["migrations"],
  ["n8n"],
  ["config", "db", "output", "package", "samples", "generated"],
  ["errors"],
];

interface Import {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;

/** every relative import in src/, as absolute paths */
function importsOf(files: readonly string[]): Import[] {
  return files.flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(SPECIFIER)]
      .map((match) => match[1]!)
      .filter((specifier) => specifier.startsWith("."))
      .map((specifier) => ({ from: file, to: path.resolve(path.dirname(file), specifier) })),
  );
}

/** the LAYERS entry a path under src/ belongs to (its first segment) */
function unitOf(file: string): string {
  return path.relative(SRC, file).split(path.sep)[0]!;
}

function layerOf(unit: string): number {
  const index = LAYERS.findIndex((layer) => layer.includes(unit));
  return index === -1 ? Number.NaN : index;
}

/** folders that import each other, directly or round a longer cycle (Tarjan's strongly connected components) */
function folderCycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

const files = sourceFiles(SRC);
const imports = importsOf(files);
const within = (file: string, dir: string) => !path.relative(dir, file).startsWith("..");

/** the src/ entries of README's "Architecture" block, one layer per line that starts with src/ */
function readmeLayers(): string[][] {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const block = /### Architecture\n[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
  return block
    .split("\n")
    .filter((line) => line.startsWith("src/"))
    .map((line) => [...line.matchAll(/(?:^|\s)src\/([\w.-]+)/g)].map((m) => m[1]!));
}

describe("src/ layering", () => {
  it("is the layer list README's architecture section shows", () => {
    expect(readmeLayers()).toEqual(LAYERS);
  });

  it("finds the imports it checks", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(imports.some((i) => unitOf(i.from) === "cli" && unitOf(i.to) === "migrations")).toBe(true);
  });

  it("names every folder and top-level file of src/ in a layer", () => {
    const units = [...new Set(files.map(unitOf))].sort();
    expect(units.filter((unit) => Number.isNaN(layerOf(unit)))).toEqual([]);
  });

  it("imports nothing from test/, bench/ or scripts/", () => {
    const outside = imports.filter((i) => !within(i.to, SRC) && !i.to.endsWith("package.json"));
    expect(outside.map((i) => `${path.relative(ROOT, i.from)} -> ${path.relative(ROOT, i.to)}`)).toEqual([]);
  });

  it("imports only down (or within a layer)", () => {
    const upward = imports.filter((i) => within(i.to, SRC) && layerOf(unitOf(i.to)) < layerOf(unitOf(i.from)));
    expect(upward.map((i) => `${path.relative(ROOT, i.from)} -> ${path.relative(ROOT, i.to)}`)).toEqual([]);
  });

  it("keeps the runner domain-free: src/migrations/ imports nothing of workflows/ or n8n/ (they plug in through its hooks)", () => {
    const domain = imports.filter((i) => unitOf(i.from) === "migrations" && ["workflows", "n8n"].includes(unitOf(i.to)));
    expect(domain.map((i) => `${path.relative(ROOT, i.from)} -> ${path.relative(ROOT, i.to)}`)).toEqual([]);
  });

  it("has no cycle between folders", () => {
    const edges = new Map<string, Set<string>>();
    for (const i of imports.filter((i) => within(i.to, SRC))) {
      const [from, to] = [unitOf(i.from), unitOf(i.to)];
      if (from !== to) edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
    expect(folderCycles(edges)).toEqual([]);
  });
});
