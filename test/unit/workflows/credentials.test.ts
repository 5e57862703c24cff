import { describe, expect, it } from "vitest";
import { extractCredentialReferences } from "../../../src/n8n/workflow.ts";
import { resolveCredential } from "../../support/credential-oracle.ts";
import { CREDENTIAL_CASES, TARGET } from "./credential-cases.ts";

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

  it.each(CREDENTIAL_CASES)("%s", (_name, ref, map, expected) => {
    expect(resolveCredential(ref, TARGET, map)).toEqual(expected);
  });
});
