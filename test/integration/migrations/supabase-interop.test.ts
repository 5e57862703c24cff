// The real Supabase CLI (pinned devDependency) and migrate-up on the same database, both directions.
import { afterEach, describe, expect, it } from "vitest";
import { migrateUp } from "../../../src/migrate-up/migrate-up.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { createSupabaseProject, type SupabaseProject } from "../../support/supabase-cli.ts";
import { historyRows } from "./helpers.ts";

const databases: TestDatabase[] = [];
const projects: SupabaseProject[] = [];
afterEach(async () => {
  for (const project of projects.splice(0)) project.remove();
  await Promise.all(databases.splice(0).map((db) => db.drop()));
});

async function setup(files: Record<string, string>) {
  const db = await createTestDatabase("empty");
  databases.push(db);
  const project = createSupabaseProject(files);
  projects.push(project);
  const up = () => migrateUp({ databaseUrl: db.url, migrationsDir: project.migrationsDir, settings: { schema: db.schema } });
  return { db, project, up };
}

// Files the CLI splits like PostgreSQL does: comments, strings with semicolons, dollar quotes, BEGIN
// ATOMIC, CRLF line endings, a trailing comment (stored as a statement of its own).
const FILES = {
  "20250101000000_schema.sql":
    "-- app schema\r\ncreate table items (id int primary key, note text);\r\n\r\n/* seed; */ insert into items values (1, 'a;b'), (2, 'it''s');\r\n-- end\r\n",
  "20250102000000_functions.sql": [
    "create function bump() returns trigger language plpgsql as $fn$",
    "begin new.note := coalesce(new.note, '') || ';'; return new; end $fn$;",
    "create function two() returns int language sql",
    "begin atomic",
    "  select 1 + 1;",
    "end;",
    "create trigger bump before insert on items for each row execute function bump();",
  ].join("\n"),
};
const LATER = { "20250103000000_later.sql": "insert into items values (3, 'later');\n" };

describe("Supabase CLI interop", () => {
  it("files applied by the CLI are applied, not drifted, for migrate-up", async () => {
    const { db, project, up } = await setup(FILES);
    const cli = await project.migrationUp(db.url);
    expect(cli.code, cli.stderr).toBe(0);
    const cliRows = await historyRows(db);
    expect(cliRows.map((r) => r.version)).toEqual(["20250101000000", "20250102000000"]);

    project.writeMigration("20250103000000_later.sql", LATER["20250103000000_later.sql"]);
    const ours = await up();
    expect(ours).toMatchObject({ status: "ok", drifted: [], warnings: [], outOfOrder: [] });
    expect(ours.applied.map((f) => f.file)).toEqual(["20250103000000_later.sql"]);
    expect((await historyRows(db)).slice(0, 2)).toEqual(cliRows);
  });

  it("files applied by migrate-up are applied for the CLI: identical rows, a second `migration up` applies nothing", async () => {
    const { db, project, up } = await setup(FILES);
    expect((await up()).status).toBe("ok");
    const ourRows = await historyRows(db);

    // The same files applied by the CLI to a second database must give byte-identical history rows.
    const twin = await createTestDatabase("empty");
    databases.push(twin);
    expect((await project.migrationUp(twin.url)).code).toBe(0);
    expect(await historyRows(twin)).toEqual(ourRows);

    // A file the CLI itself cannot split (E'' with an escaped quote), applied by migrate-up: the CLI
    // still counts it as applied.
    project.writeMigration("20250102500000_escapes.sql", "insert into items values (10, E'it\\'s; fine');\n");
    expect((await up()).applied.map((f) => f.file)).toEqual(["20250102500000_escapes.sql"]);

    const again = await project.migrationUp(db.url);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain("Applying migration");
    const list = await project.migrationList(db.url);
    expect(list.code, list.stderr).toBe(0);
    for (const version of ["20250101000000", "20250102000000", "20250102500000"]) expect(list.stdout).toMatch(new RegExp(`${version}.*\\|.*${version}`));

    project.writeMigration("20250103000000_later.sql", LATER["20250103000000_later.sql"]);
    const cliLater = await project.migrationUp(db.url);
    expect(cliLater.code, cliLater.stderr).toBe(0);
    expect(cliLater.stderr).toContain("Applying migration 20250103000000_later.sql");
    expect(await db.query("select count(*)::int as n from items")).toEqual([{ n: 4 }]);
  });
});
