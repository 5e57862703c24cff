// The pure checks behind validate, on plain data.
import { describe, expect, it } from "vitest";
import { fileNameProblems } from "../../../src/validate/file-name.ts";
import { statementProblems } from "../../../src/validate/statements.ts";
import { connectionProblems, nodeProblems } from "../../../src/validate/workflow-checks.ts";

describe("fileNameProblems", () => {
  it.each([
    ["20250101000000_a.sql", []],
    ["20250101000000_a.SQL", ['file name: the extension must be lower-case ".sql"']],
    ["20250101000000a.sql", ['file name: an underscore must follow the version: "<version>_<name>.sql"']],
    ["notes.txt", ['not a migration file name: expected "<14-digit version>_<name>.sql"']],
    ["20250230120000_feb30.sql", ["version 20250230120000 is not a UTC timestamp YYYYMMDDHHMMSS"]],
    ["20250101246000_late.sql", ["version 20250101246000 is not a UTC timestamp YYYYMMDDHHMMSS"]],
    ["20250101000000_.sql", ["the name after the version is empty"]],
  ])("%s", (file, expected) => {
    expect(fileNameProblems(file, [file])).toEqual(expected);
  });
});

describe("nodeProblems", () => {
  it("wants objects with a unique name and a type, and credentials as {id, name}", () => {
    expect(
      nodeProblems([
        { name: "A", type: "t" },
        { name: "A", type: "t" },
        { type: "t" },
        "x",
        { name: "B" },
        { name: "C", type: "t", credentials: "oops" },
        { name: "D", type: "t", credentials: { slackApi: { id: "1", name: "S", accessToken: "x" }, smtp: "plain" } },
      ]),
    ).toEqual([
      'node name "A" is used twice (n8n connects nodes by name)',
      "node #2 has no name",
      "node #3 is not an object",
      'node "B" has no type',
      'node "C": credentials must be an object {<type>: {id, name}}',
      'node "D" credential slackApi holds accessToken: a file may reference a credential only by {id, name}, never hold its data',
      'node "D" credential smtp holds (not an object): a file may reference a credential only by {id, name}, never hold its data',
    ]);
  });
});

describe("connectionProblems", () => {
  it("wants every source and target to be a node", () => {
    const nodes = [{ name: "A" }, { name: "B" }];
    expect(connectionProblems({ A: { main: [[{ node: "B" }], []] } }, nodes)).toEqual([]);
    expect(connectionProblems({ Gone: { main: [[{ node: "B" }]] }, A: { main: [[{ node: "X" }, {}]] } }, nodes)).toEqual([
      'connections start at "Gone", which is not a node',
      'connection "A" -> "X" (main) points at no node',
      'connection "A" -> (no node) (main) points at no node',
    ]);
    expect(connectionProblems([], nodes)).toEqual(["connections must be an object"]);
  });
});

describe("statementProblems", () => {
  it("accepts a trailing comment and a dollar-quoted body; flags an unclosed dollar quote", () => {
    expect(statementProblems("create function f() returns int as $$ select 1; $$ language sql;\n-- done\n", false)).toEqual([]);
    expect(statementProblems("select 1;\ncreate function f() returns int as $$ select 1;\n", false)).toEqual([
      { line: 2, message: 'statement 2 does not end with ";": an unclosed quote, dollar quote or comment may swallow the rest of the file' },
    ]);
  });
});
