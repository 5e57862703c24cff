// The credential cases: a target's credentials and, per reference (and credential map), the status and
// the id the node gets. The pure rule (test/unit/workflows/credentials.test.ts) and the migration's SQL
// (test/integration/workflows/credential-cases.test.ts) are both held to this one table.
import type { CredentialResolution } from "../../support/credential-oracle.ts";

export const TARGET = [
  { id: "credTargetSlack1", name: "Slack", type: "slackApi" },
  { id: "credTargetDup001", name: "Dup", type: "slackApi" },
  { id: "credTargetDup002", name: "Dup", type: "slackApi" },
  { id: "credSharedId0009", name: "Renamed", type: "slackApi" },
  { id: "credTargetHeader", name: "Slack", type: "httpHeaderAuth" },
];

export type Ref = { id: string | null; type: string; name: string };
export const CREDENTIAL_CASES: Array<[string, Ref, Record<string, string>, CredentialResolution]> = [
  ["same type and name", { id: "credSource000001", type: "slackApi", name: "Slack" }, {}, { status: "remapped", targetId: "credTargetSlack1" }],
  ["already the same id", { id: "credTargetSlack1", type: "slackApi", name: "Slack" }, {}, { status: "unchanged", targetId: "credTargetSlack1" }],
  ["an explicit binding", { id: "credSource000001", type: "slackApi", name: "Slack" }, { credSource000001: "credTargetHeader" }, { status: "bound", targetId: "credTargetHeader" }],
  ["a binding to an id the target lacks falls back to type + name", { id: "credSource000001", type: "slackApi", name: "Slack" }, { credSource000001: "credNotHere00001" }, { status: "remapped", targetId: "credTargetSlack1" }],
  ["a binding to an id the target lacks, nothing else: missing, not bound", { id: "credSource000005", type: "openAiApi", name: "OpenAI" }, { credSource000005: "credNotHere00001" }, { status: "missing", targetId: "credSource000005" }],
  ["two candidates", { id: "credSource000002", type: "slackApi", name: "Dup" }, {}, { status: "ambiguous", targetId: "credSource000002" }],
  ["two candidates, one with the source id", { id: "credTargetDup002", type: "slackApi", name: "Dup" }, {}, { status: "unchanged", targetId: "credTargetDup002" }],
  ["same id and type, other name", { id: "credSharedId0009", type: "slackApi", name: "Old name" }, {}, { status: "unchanged", targetId: "credSharedId0009" }],
  ["same id, other type", { id: "credTargetHeader", type: "slackApi", name: "Old header" }, {}, { status: "missing", targetId: "credTargetHeader" }],
  ["nothing like it", { id: "credSource000005", type: "openAiApi", name: "Slack" }, {}, { status: "missing", targetId: "credSource000005" }],
  ["no id in the source", { id: null, type: "slackApi", name: "Slack" }, {}, { status: "remapped", targetId: "credTargetSlack1" }],
];
