// The test-only oracle of the credential rule: which credential of the target each reference becomes.
// Ids differ between n8n instances, so a reference is matched by type + name unless an explicit binding
// (credential map) says otherwise. The SQL of a migration (src/workflows/apply-workflow.sql, step 6) is
// the only implementation that runs; test/integration/workflows/credential-cases.test.ts proves it gives
// this oracle's answer on a table of cases on every fixture.
import type { CredentialStatus } from "../../src/workflows/report.ts";
import type { CredentialReference } from "../../src/n8n/workflow.ts";

export interface TargetCredential {
  id: string;
  name: string;
  type: string;
}

export interface CredentialResolution {
  status: CredentialStatus;
  /** the id the node gets on the target (the source's id when missing or ambiguous) */
  targetId: string | null;
}

/**
 * Which target credential a reference becomes: an explicit binding whose credential exists; else the
 * only credential with the same type and name; else the same id and type if the target has it (ids
 * shared between instances). Missing and ambiguous references keep the source's id.
 */
export function resolveCredential(
  ref: Pick<CredentialReference, "id" | "type" | "name">,
  target: readonly TargetCredential[],
  credentialMap: Readonly<Record<string, string>> = {},
): CredentialResolution {
  const bound = ref.id === null ? undefined : credentialMap[ref.id];
  if (bound !== undefined && target.some((c) => c.id === bound)) return { status: "bound", targetId: bound };
  const matches = target.filter((c) => c.type === ref.type && c.name === ref.name);
  if (matches.length === 1) {
    const id = matches[0]!.id;
    return { status: id === ref.id ? "unchanged" : "remapped", targetId: id };
  }
  if (matches.some((c) => c.id === ref.id)) return { status: "unchanged", targetId: ref.id };
  if (matches.length > 1) return { status: "ambiguous", targetId: ref.id };
  if (target.some((c) => c.id === ref.id && c.type === ref.type)) return { status: "unchanged", targetId: ref.id };
  return { status: "missing", targetId: ref.id };
}
