// Would a prod_sync_ file overwrite edits made in a dev database? Asks the same question migrate-up's
// dry run asks (predictWorkflowMigration: dev's versionId against the version n8n-sync last synced
// there, resolveConflict's rules), on a read-only connection to the dev database.
import type pg from "pg";
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
 * once when the dev database has no n8n tables or cannot be inspected.
 */
export async function openDevChecker(dev: DevDatabase): Promise<DevChecker> {
  const { client } = await connectReadOnly(dev.databaseUrl, "n8n-sync export-prod dev check");
  const schema = await inspectN8nSchema(client, dev.schema).catch(async (error: unknown) => {
    await client.end().catch(() => {});
    throw error;
  });
  if (!schema.ready) {
    await client.end();
    return noDevChecker(`the ${dev.envName} database has no n8n tables in schema ${dev.schema} yet`);
  }
  return {
    check: (header) => devCheck(client, dev, header),
    close: () => client.end(),
  };
}

async function devCheck(client: pg.Client, dev: DevDatabase, header: WorkflowHeader): Promise<DevCheck> {
  const prediction = await predictWorkflowMigration(client, renderHeader(header), { schema: dev.schema });
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
