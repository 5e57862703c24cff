import { describe, expect, it } from "vitest";
import { extractCredentialReferences } from "../../../src/n8n/workflow.ts";
import { resolveCredential } from "../../../src/workflows/credentials.ts";

describe("credential references", () => {
  it("lists every {type: {id, name}} of every node, in node order", () => {
    const nodes = [
      { name: "Start", parameters: {} },
      { name: "Two", credentials: { slackApi: { id: "s1", name: "Slack" }, httpHeaderAuth: { id: "h1", name: "Header" } } },
      { name: "Legacy", credentials: { oAuth2Api: { id: null, name: "Only a name" } } },
      "not a node",
    ];
    expect(extractCredentialReferences(nodes)).toEqual([
      { nodeIndex: 1, node: "Two", type: "slackApi", id: "s1", name: "Slack" },
      { nodeIndex: 1, node: "Two", type: "httpHeaderAuth", id: "h1", name: "Header" },
      { nodeIndex: 2, node: "Legacy", type: "oAuth2Api", id: null, name: "Only a name" },
    ]);
  });

  const target = [
    { id: "t1", name: "Slack", type: "slackApi" },
    { id: "t2", name: "Dup", type: "slackApi" },
    { id: "t3", name: "Dup", type: "slackApi" },
    { id: "s9", name: "Renamed", type: "slackApi" },
    { id: "t4", name: "Slack", type: "httpHeaderAuth" },
  ];
  it.each([
    ["same type and name", { id: "s1", type: "slackApi", name: "Slack" }, {}, { status: "remapped", targetId: "t1" }],
    ["already the same id", { id: "t1", type: "slackApi", name: "Slack" }, {}, { status: "unchanged", targetId: "t1" }],
    ["an explicit binding", { id: "s1", type: "slackApi", name: "Slack" }, { s1: "t4" }, { status: "bound", targetId: "t4" }],
    ["a binding to nothing falls back", { id: "s1", type: "slackApi", name: "Slack" }, { s1: "gone" }, { status: "remapped", targetId: "t1" }],
    ["two candidates", { id: "s2", type: "slackApi", name: "Dup" }, {}, { status: "ambiguous", targetId: "s2" }],
    ["two candidates, one the same id", { id: "t3", type: "slackApi", name: "Dup" }, {}, { status: "unchanged", targetId: "t3" }],
    ["same id and type, other name", { id: "s9", type: "slackApi", name: "Old name" }, {}, { status: "unchanged", targetId: "s9" }],
    ["nothing like it", { id: "s5", type: "openAiApi", name: "Slack" }, {}, { status: "missing", targetId: "s5" }],
    ["no id in the source", { id: null, type: "slackApi", name: "Slack" }, {}, { status: "remapped", targetId: "t1" }],
  ] as const)("%s", (_name, ref, map, expected) => {
    expect(resolveCredential(ref, target, map)).toEqual(expected);
  });
});
