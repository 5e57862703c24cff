// What the docs and messages point a team at exists in the team's repository: the npm scripts the docs
// tell them to run are the ones init writes, the docs pages messages name ship in the package, README
// lists the subcommands the bin has, and the pages speak to users (no "the PRD").
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { N8N_SCRIPTS } from "../../../src/init/package-scripts.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const docs = readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`);
const userPages = ["README.md", ...docs];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(rel);
    return rel.endsWith(".ts") ? [rel] : [];
  });
}

describe("the docs a team reads", () => {
  it("every `npm run n8n:...` they tell a team to run is a script init writes", () => {
    for (const page of userPages) {
      for (const [, name] of read(page).matchAll(/npm run (?:--silent )?(n8n:[\w-]+)/g)) {
        expect(Object.keys(N8N_SCRIPTS), `${page}: npm run ${name}`).toContain(name);
      }
    }
  });

  it("every docs page a message names ships in the package, and messages name them through docPath", () => {
    const files = (JSON.parse(read("package.json")) as { files: string[] }).files;
    expect(files).toContain("docs/");
    for (const file of sourceFiles("src")) {
      const text = read(file);
      for (const [, page] of text.matchAll(/docPath\("([\w.-]+)"\)/g)) expect(docs, `${file}: ${page}`).toContain(`docs/${page}`);
      // a bare "docs/x.md" in a message points at a folder the team's repository does not have
      expect(text.match(/["`][^"`\n]*\bdocs\/[\w-]+\.md/g) ?? [], file).toEqual([]);
    }
  });

  it("README lists every subcommand the bin has", () => {
    const bin = read("src/cli/n8n-sync.ts");
    const commands = [...bin.matchAll(/^\s+"?([\w-]+)"?: async \(\) =>/gm)].map((m) => m[1]!);
    expect(commands.length).toBeGreaterThan(8);
    const listed = /`npx n8n-sync --help` lists them: ([^)]*)\)/.exec(read("README.md").replace(/\n/g, " "))?.[1] ?? "";
    expect([...listed.matchAll(/`([\w-]+)`/g)].map((m) => m[1]!).sort()).toEqual([...commands].sort());
  });

  it("speaks to users: no PRD, no requirements document", () => {
    for (const page of [...userPages, "src/demo/demo.ts", "src/cli/commands/demo.ts"]) {
      expect(read(page), page).not.toMatch(/\bPRD\b|the requirements'/);
    }
  });
});
