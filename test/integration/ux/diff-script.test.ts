// scripts/diff.ts as a reviewer and the pull-request check run it: migration files changed against the
// main branch (or named by path, workflow name or id) compared with the newest earlier migration of the
// same workflow; --env compares with what a real database has now, through a read-only session.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { parseMermaid } from "../../support/mermaid.ts";
import { seedWorkflow } from "../../../src/samples/seed.ts";
import { makeWorkflow, renderCase } from "../workflows/helpers.ts";
import { envFor, newFolder, runScript, type Folder } from "./helpers.ts";

const ID = "wfOrders00000001";
const webhook = { id: "n1", name: "Webhook", type: "n8n-nodes-base.webhook", typeVersion: 2, position: [0, 0], parameters: { path: "orders", httpMethod: "POST" } };
const fetchNode = (url: string, extra: Record<string, unknown> = {}) => ({
  id: "n2",
  name: "Fetch order",
  type: "n8n-nodes-base.httpRequest",
  typeVersion: 4.2,
  position: [220, 0],
  parameters: { url, options: {} },
  credentials: { httpHeaderAuth: { id: "c1", name: "Orders API" } },
  ...extra,
});
const v1 = makeWorkflow({
  id: ID,
  name: "Orders",
  nodes: [webhook, fetchNode("https://a.example/orders")],
  connections: { Webhook: { main: [[{ node: "Fetch order", type: "main", index: 0 }]] } },
});
const v2 = makeWorkflow({
  ...v1,
  name: "Orders v2",
  versionId: "00000000-0000-4000-8000-000000000002",
  nodes: [
    { ...webhook, position: [40, 40] },
    fetchNode("https://b.example/orders"),
    { id: "n3", name: "Notify", type: "n8n-nodes-base.slack", typeVersion: 2.2, position: [440, 0], parameters: { text: "new order" } },
  ],
  connections: {
    Webhook: { main: [[{ node: "Fetch order", type: "main", index: 0 }]] },
    "Fetch order": { main: [[{ node: "Notify", type: "main", index: 0 }]] },
  },
});
const other = makeWorkflow({ id: "wfOther000000001", name: "Other" });

function gitRepo(folder: Folder) {
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { cwd: folder.dir, stdio: "pipe" });
  git("init", "-q", "-b", "main");
  return git;
}

describe("scripts/diff.ts", () => {
  const env = { MIGRATIONS_DIR: "supabase/migrations" };
  let folder: Folder;

  beforeAll(() => {
    folder = newFolder();
    const git = gitRepo(folder);
    folder.write("20250101000000_orders.sql", renderCase(v1, "20250101000000_orders.sql"));
    folder.write("20250101000001_app_table.sql", "create table app_things (id int);\n");
    git("add", ".");
    git("commit", "-qm", "base");
    git("checkout", "-qb", "feature");
    folder.write("20250102000000_orders_v2.sql", renderCase(v2, "20250102000000_orders_v2.sql"));
    folder.write("20250102000001_other.sql", renderCase(other, "20250102000001_other.sql"));
    folder.write("20250102000002_app_index.sql", "create index on app_things (id);\n");
    folder.write("20250102000003_app_view.sql", "create view app_view as select id from app_things;\n");
    git("add", ".");
    git("commit", "-qm", "feature");
  });

  it("with no arguments: the workflow migrations changed against main, each against its earlier version", async () => {
    const run = await runScript("diff", ["--base", "main"], env, folder.dir);
    expect(run.code).toBe(0);
    const out = run.stdout;
    expect(out).toContain("Orders v2 (wfOrders00000001)  supabase/migrations/20250102000000_orders_v2.sql  against 20250101000000_orders.sql");
    expect(out).toContain("~ renamed Orders → Orders v2");
    expect(out).toContain("+ Notify (n8n-nodes-base.slack)");
    expect(out).toContain('~ parameters.url: "https://a.example/orders" → "https://b.example/orders"');
    expect(out).toContain("+ Fetch order → Notify");
    expect(out).toContain("Layout only: 1 node moved or resized (not listed).");
    expect(out).toContain("Other (wfOther000000001)  supabase/migrations/20250102000001_other.sql  new: no earlier migration of this workflow in the folder");
    expect(out).not.toContain("\u001b[");
    // the plain SQL migrations: one warning, as a count (not a line per file)
    expect(run.stderr).toBe("warning: 2 changed files are not workflow migrations (plain SQL): nothing to compare there\n");
    expect(out.trim().split("\n").at(-1)).toBe("2 workflow migrations compared (changed against main)");
  });

  it("on a terminal (a real pty through util-linux script): colour; NO_COLOR turns it off", () => {
    const tsx = path.resolve(import.meta.dirname, "../../../node_modules/.bin/tsx");
    const script = path.resolve(import.meta.dirname, "../../../scripts/diff.ts");
    const onTty = (extra: Record<string, string>) =>
      execFileSync("script", ["-qec", `${tsx} ${script} "Orders v2"`, "/dev/null"], {
        cwd: folder.dir,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", TERM: "xterm", ...env, ...extra },
      }).toString();
    const coloured = onTty({});
    expect(coloured).toContain("\u001b[32m+\u001b[39m \u001b[1mNotify\u001b[22m (n8n-nodes-base.slack)");
    expect(coloured).toContain("\u001b[33m~\u001b[39m \u001b[1mparameters.url\u001b[22m");
    expect(onTty({ NO_COLOR: "1" })).not.toContain("\u001b[");
  });

  it("--markdown: sections with a Mermaid diagram that Mermaid parses; --max-chars cuts and says what", async () => {
    const run = await runScript("diff", ["--base", "main", "--markdown"], env, folder.dir);
    expect(run.code).toBe(0);
    const md = run.stdout;
    expect(md.startsWith("## n8n workflow changes\n")).toBe(true);
    expect(md).toContain("### Orders v2 (`wfOrders00000001`)");
    expect(md).toContain("`supabase/migrations/20250102000000_orders_v2.sql` compared with `20250101000000_orders.sql`");
    expect(md).toContain("  - 🟢 `Notify` (n8n-nodes-base.slack)");
    const diagrams = [...md.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(diagrams).toHaveLength(2);
    for (const diagram of diagrams) await expect(parseMermaid(diagram)).resolves.toBe("flowchart-v2");
    expect(diagrams[0]).toMatch(/\["Notify<br\/><small>slack<\/small>"\]:::added/);

    const cut = await runScript("diff", ["--base", "main", "--markdown", "--max-chars", "2000"], env, folder.dir);
    expect(cut.stdout.length).toBeLessThanOrEqual(2000);
    // The largest diagram goes first; the rest still fits.
    expect(cut.stdout).toContain("**Cut to fit 2,000 characters:** left out the diagrams of Orders v2. Run `npm run n8n:diff -- --markdown`");
    expect(cut.stdout.match(/```mermaid/g)).toHaveLength(1);
    const usage = await runScript("diff", ["--markdown", "--max-chars", "lots"], env, folder.dir);
    expect(usage).toMatchObject({ code: 2 });
    expect(usage.stderr).toContain("--max-chars must be a whole number");
  });

  it("--json: the structured change per workflow", async () => {
    const run = await runScript("diff", ["--base", "main", "--json"], env, folder.dir);
    const result = JSON.parse(run.stdout);
    expect(result.scope).toBe("changed against main");
    const orders = result.workflows[0];
    expect(orders).toMatchObject({ file: "supabase/migrations/20250102000000_orders_v2.sql", workflowId: ID, against: { file: "20250101000000_orders.sql" } });
    expect(orders.change.nodesChanged).toEqual([
      expect.objectContaining({ name: "Fetch order", changes: [{ path: "parameters.url", before: "https://a.example/orders", after: "https://b.example/orders" }] }),
    ]);
    expect(orders.change.graph).toBeUndefined();
  });

  it("by path, workflow name or id; unknown names get a hint; no git: one line saying what to do", async () => {
    const byPath = await runScript("diff", ["supabase/migrations/20250102000000_orders_v2.sql", "--json"], env, folder.dir);
    const byName = await runScript("diff", ["Orders v2", "--json"], env, folder.dir);
    const byId = await runScript("diff", [ID, "--json"], env, folder.dir);
    for (const run of [byPath, byName, byId]) expect(JSON.parse(run.stdout).workflows.map((w: any) => w.file)).toEqual(["supabase/migrations/20250102000000_orders_v2.sql"]);
    const first = await runScript("diff", ["supabase/migrations/20250101000000_orders.sql"], env, folder.dir);
    expect(first.stdout).toContain("new: no earlier migration of this workflow in the folder");

    const unknown = await runScript("diff", ["Orders v3"], env, folder.dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('error: no migration file, workflow name or workflow id "Orders v3" in supabase/migrations (did you mean "Orders", "Orders v2"?)');
    const notWorkflow = await runScript("diff", ["supabase/migrations/20250102000002_app_index.sql"], env, folder.dir);
    expect(notWorkflow.stderr).toContain("20250102000002_app_index.sql is not a workflow migration");

    const noGit = newFolder();
    const run = await runScript("diff", [], { ...env, GIT_CEILING_DIRECTORIES: path.dirname(noGit.dir) }, noGit.dir);
    expect(run).toMatchObject({ code: 1 });
    expect(run.stderr.trim()).toBe("error: git or the main branch is not available: name the migration files, workflow names or ids to compare");
  });
});

describe("scripts/diff.ts --env", () => {
  let prod: TestDatabase;
  beforeAll(async () => {
    prod = await createTestDatabase("n8n2schema");
  });
  afterAll(async () => {
    await prod.drop();
  });

  it("compares with what the environment's database has now, read-only; a workflow it lacks is new", async () => {
    await seedWorkflow(prod, { id: ID, name: "Orders", nodes: v1.nodes, connections: v1.connections, settings: v1.settings, active: true });
    const folder = newFolder();
    folder.write("20250102000000_orders_v2.sql", renderCase({ ...v2, isArchived: true }, "20250102000000_orders_v2.sql"));
    folder.write("20250102000001_other.sql", renderCase(other, "20250102000001_other.sql"));
    const run = await runScript("diff", ["Orders v2", "Other", "--env", "test", "--json"], envFor(prod, folder), folder.dir);
    expect(run.stderr).toBe("");
    const [orders, fresh] = JSON.parse(run.stdout).workflows;
    expect(orders.against).toEqual({ env: "test" });
    expect(orders.change.renamed).toEqual({ from: "Orders", to: "Orders v2" });
    expect(orders.change.archived).toEqual({ before: false, after: true });
    expect(orders.change.active).toEqual({ before: true, after: false });
    expect(orders.change.nodesAdded.map((n: any) => n.name)).toEqual(["Notify"]);
    expect(fresh.against).toEqual({ none: "not in test's database yet" });

    const md = await runScript("diff", ["Orders v2", "--env", "test", "--markdown"], envFor(prod, folder), folder.dir);
    expect(md.stdout).toContain("compared with what `test`'s database has now.");
    expect(md.stdout).toContain("🔴 archived (and so deactivated)");
    const rows = await prod.query<{ name: string }>(`SELECT name FROM "${prod.schema}".workflow_entity WHERE id = $1`, [ID]);
    expect(rows).toEqual([{ name: "Orders" }]);
  });
});
