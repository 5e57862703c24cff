import { describe, expect, it } from "vitest";
import { codePointPositionToIndex, positionAt, splitStatements, statementAt } from "../../../src/migrations/split.ts";

const texts = (sql: string) => splitStatements(sql).map((s) => s.text);

describe("splitStatements", () => {
  it("splits at top-level semicolons and trims like Supabase CLI (comments kept, trailing comment kept)", () => {
    const sql = "-- head\ncreate table a (x int);\r\n\r\n/* c */ insert into a values (1);  ;\n-- trailing\n";
    expect(texts(sql)).toEqual(["-- head\ncreate table a (x int)", "/* c */ insert into a values (1)", "-- trailing"]);
  });

  it("keeps semicolons inside comments, strings, identifiers and dollar quotes", () => {
    const sql = [
      "select 'a;b', 'it''s; fine';",
      'select 1 as "x;y""z";',
      "-- a; comment\nselect 2;",
      "/* outer /* nested; */ still; comment */ select 3;",
      "do $body$ begin perform 1; raise notice 'x;'; end $body$;",
      "select $$a;b$$, $x$ $$ ; $x$;",
    ].join("\n");
    expect(texts(sql)).toEqual([
      "select 'a;b', 'it''s; fine'",
      'select 1 as "x;y""z"',
      "-- a; comment\nselect 2",
      "/* outer /* nested; */ still; comment */ select 3",
      "do $body$ begin perform 1; raise notice 'x;'; end $body$",
      "select $$a;b$$, $x$ $$ ; $x$",
    ]);
  });

  it("reads E'' strings with backslash escapes (which Supabase CLI splits wrongly)", () => {
    expect(texts("insert into t values (E'it\\'s; \\\\'); select e'\\\\'; select 'plain\\'; select 4;")).toEqual([
      "insert into t values (E'it\\'s; \\\\')",
      "select e'\\\\'",
      "select 'plain\\'",
      "select 4",
    ]);
  });

  it("does not take $1 parameters or $ inside identifiers for dollar quotes", () => {
    expect(texts("prepare p as select $1; select a$b$ from t; select 2")).toEqual([
      "prepare p as select $1",
      "select a$b$ from t",
      "select 2",
    ]);
  });

  it("keeps BEGIN ATOMIC bodies (with CASE ... END inside) and parenthesised rule actions whole", () => {
    const sql = [
      "create or replace function f(x int) returns int language sql",
      "begin atomic",
      "  select case when x > 0 then 1 else 0 end;",
      "  select 2;",
      "end;",
      "create rule r as on insert to t do also (insert into u values (1); insert into u values (2));",
      "begin; commit;",
    ].join("\n");
    const statements = texts(sql);
    expect(statements).toHaveLength(4);
    expect(statements[0]).toMatch(/^create or replace function[\s\S]*select 2;\nend$/);
    expect(statements[1]).toMatch(/^create rule[\s\S]*\(2\)\)$/);
    expect(statements.slice(2)).toEqual(["begin", "commit"]);
  });

  it("reports each statement's start line and column and its first words", () => {
    const sql = "select 1;\n\n  create unique index concurrently i on t (x);\n/* c */ vacuum;";
    const statements = splitStatements(sql);
    expect(statements.map((s) => [s.line, s.column])).toEqual([[1, 1], [3, 3], [4, 1]]);
    expect(statements[1]!.words.slice(0, 4)).toEqual(["CREATE", "UNIQUE", "INDEX", "CONCURRENTLY"]);
    expect(statements[2]!.words).toEqual(["VACUUM"]);
  });

  it("returns an unterminated final token as it is, for PostgreSQL to reject", () => {
    expect(texts("select 1; select 'open;")).toEqual(["select 1", "select 'open"]);
    expect(texts("")).toEqual([]);
    expect(texts(" ;\n ; ")).toEqual([]);
  });

  it("splits a 20 MB dollar-quoted body without a size cap", () => {
    const body = "x;'\"".repeat(5_000_000);
    const statements = splitStatements(`select 1;\ndo $q$ ${body} $q$;\nselect 2;`);
    expect(statements).toHaveLength(3);
    expect(statements[1]!.text.length).toBe(body.length + 11);
    expect(statements[2]).toMatchObject({ text: "select 2", line: 3, column: 1 });
  });
});

describe("positions", () => {
  it("maps offsets to line:column and to statements", () => {
    const sql = "select 1;\nselect\n  oops;\n";
    const statements = splitStatements(sql);
    const offset = sql.indexOf("oops");
    expect(positionAt(sql, offset)).toEqual({ line: 3, column: 3 });
    expect(positionAt(sql, offset, { offset: statements[1]!.start, line: 2, column: 1 })).toEqual({ line: 3, column: 3 });
    expect(statementAt(statements, offset)).toBe(1);
    expect(statementAt(statements, 0)).toBe(0);
  });

  it("converts PostgreSQL's code point positions to string indexes", () => {
    expect(codePointPositionToIndex("ab", 2)).toBe(1);
    expect(codePointPositionToIndex("😀x", 2)).toBe(2);
  });
});
