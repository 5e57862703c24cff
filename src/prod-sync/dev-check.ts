// Would a prod_sync_ file overwrite edits made in a dev database? Asks what migrate-up on dev will decide
// (predictWorkflowMigration: dev's versionId against the version n8n-sync last synced there, replaying
// first the files of the folder dev has not applied yet, as migrate-up will), on a read-only connection.
import type pg from "pg";
import { classifyFileName } from "../migrations/files.ts";
import { readHistory } from "../migrations/history.ts";
import type { IncomingState } from "../workflows/conflict.ts";
import type { ExistingMigration } from "../workflows/existing.ts";
import { renderHeader, type WorkflowHeader } from "../workflows/header.ts";
import { predictWorkflowMigration } from "../workflows/predict.ts";
import { inspectN8nSchema } from "../n8n/schema.ts";
import { connectReadOnly } from "./source.ts";
import type { DevCheck } from "./summary.ts";

export interface DevDatabase {
  /** the environment name, for messages */
  envName: string;
  databaseUrl: string;
  schema: string;
}

export interface DevChecker {
  check(header: WorkflowHeader): Promise<DevCheck>;
  close(): Promise<void>;
}

/** A checker that answers "not checked" for every workflow, with the reason. */
export function noDevChecker(reason: string): DevChecker {
  return { check: async () => ({ state: "not-checked", reason }), close: async () => {} };
}

/**
 * A checker on its own read-only connection, open for the whole export (the caller closes it); closed at
 * once when the dev database has no n8n tables or cannot be inspected. `folder`: the workflow files
 * already in the migrations folder (dev applies those it lacks before the new file).
 */
export async function openDevChecker(dev: DevDatabase, folder: readonly ExistingMigration[] = []): Promise<DevChecker> {
  const { client } = await connectReadOnly(dev.databaseUrl, "n8n-sync export-prod dev check");
  const schema = await inspectN8nSchema(client, dev.schema).catch(async (error: unknown) => {
    await client.end().catch(() => {});
    throw error;
  });
  if (!schema.ready) {
    await client.end();
    return noDevChecker(`the ${dev.envName} database has no n8n tables in schema ${dev.schema} yet`);
  }
  let pending: Map<string, IncomingState[]>;
  try {
    pending = pendingPerWorkflow(folder, await appliedVersions(client));
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return {
    check: (header) => devCheck(client, dev, header, pending.get(header.workflowId ?? "") ?? []),
    close: () => client.end(),
  };
}

/**
 * The versions dev's migration history holds. A role that may not read it: none, so every file of the
 * workflow replays; an applied one meets its own version (or one after it) and changes nothing.
 */
async function appliedVersions(client: pg.Client): Promise<Set<string>> {
  try {
    return new Set((await readHistory(client)).applied.map((row) => row.version));
  } catch (error) {
    if ((error as { code?: string }).code === "42501") return new Set();
    throw error;
  }
}

/** workflow id -> the folder's files of it that dev has not applied, in file (= apply) order. */
function pendingPerWorkflow(folder: readonly ExistingMigration[], applied: ReadonlySet<string>): Map<string, IncomingState[]> {
  const pending = new Map<string, IncomingState[]>();
  for (const { file, header } of folder) {
    const name = classifyFileName(file);
    if (name.kind !== "migration" || applied.has(name.version) || !header.workflowId || !header.versionId || !header.lastUpdated) continue;
    pending.set(header.workflowId, [...(pending.get(header.workflowId) ?? []), { versionId: header.versionId, updatedAt: new Date(header.lastUpdated) }]);
  }
  return pending;
}

async function devCheck(client: pg.Client, dev: DevDatabase, header: WorkflowHeader, earlier: readonly IncomingState[]): Promise<DevCheck> {
  const prediction = await predictWorkflowMigration(client, renderHeader(header), { schema: dev.schema }, earlier);
  switch (prediction.outcome) {
    case "insert":
      return { state: "absent" };
    case "update":
    case "unchanged":
      return { state: "clean" };
    case "overwrite-conflict":
      return { state: "local-edits", detail: `${dev.envName}: ${prediction.reason}; migrate-up will overwrite the ${dev.envName} version` };
    case "skip-conflict":
      return { state: "local-edits", detail: `${dev.envName}: ${prediction.reason}; migrate-up will keep the ${dev.envName} version` };
  }
}
