// Pure: the workflow a rollback migration brings: the current workflow with an earlier version's
// definition, under a NEW versionId and updatedAt = now, so that every environment applies it as a
// change (fast-forward, or a conflict the newer side wins) and none mistakes it for the old version.
import { extractCredentialReferences, type ExportedWorkflow } from "../n8n/workflow.ts";

/** What an earlier version holds (workflow_history has no settings: those stay the current ones). */
export interface EarlierDefinition {
  name: string | null;
  nodes: unknown[];
  connections: unknown;
  settings?: unknown;
  description?: string | null;
  nodeGroups?: unknown;
}

export function restoredWorkflow(current: ExportedWorkflow, earlier: EarlierDefinition, newVersionId: string, now: Date): ExportedWorkflow {
  const restored: ExportedWorkflow = {
    ...current,
    name: earlier.name ?? current.name,
    nodes: earlier.nodes,
    connections: earlier.connections,
    settings: earlier.settings !== undefined ? earlier.settings : current.settings,
    description: earlier.description !== undefined ? earlier.description : current.description,
    versionId: newVersionId,
    updatedAt: now.toISOString(),
    credentials: extractCredentialReferences(earlier.nodes),
  };
  delete restored.pinData;
  // The current nodes' references do not describe the earlier nodes: render.ts extracts them again.
  delete restored.references;
  if (current.nodeGroups !== undefined && earlier.nodeGroups !== undefined && earlier.nodeGroups !== null) restored.nodeGroups = earlier.nodeGroups;
  return restored;
}
