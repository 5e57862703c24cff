// Reads back what a workflow migration says about environment values (render.ts's in_environment,
// in_env_values, in_env_slots), so diff can compare a file as it would apply in an environment.
import { replaceValues, type ValueSlot } from "./environment-match.ts";
import { migrationConstant, readMigrationWorkflow, type MigrationWorkflow } from "./read-migration.ts";

export interface MigrationEnvironment {
  /** the environment the file was exported from */
  name: string;
  /** value name -> environment -> value */
  values: Record<string, Record<string, string>>;
  slots: ValueSlot[];
}

/** undefined for a file without an environment (exported before, or without a values file entry). */
export function readMigrationEnvironment(sql: string): MigrationEnvironment | undefined {
  const name = migrationConstant(sql, "environment");
  const values = migrationConstant(sql, "env_values");
  const slots = migrationConstant(sql, "env_slots");
  if (typeof name !== "string" || typeof values !== "object" || values === null || !Array.isArray(slots)) return undefined;
  return { name, values: values as MigrationEnvironment["values"], slots: slots as ValueSlot[] };
}

/** The environments a file has values for, besides its own. */
export function otherEnvironments(environment: MigrationEnvironment): string[] {
  return [...new Set(Object.values(environment.values).flatMap((byEnv) => Object.keys(byEnv)))].filter((env) => env !== environment.name).sort();
}

/**
 * A file's workflow with its values as `environment` has them (`values`: name -> environment -> value,
 * merged over the file's own): an earlier file from another environment (a dev file before a
 * prod_sync_ one) then differs from a newer one by its edits only, not by environment.
 */
export function readMigrationWorkflowAs(sql: string, environment: string, values: MigrationEnvironment["values"]): MigrationWorkflow | undefined {
  const workflow = readMigrationWorkflow(sql);
  const own = readMigrationEnvironment(sql);
  if (!workflow || !own || own.name === environment) return workflow;
  const merged = { ...own.values };
  for (const [name, byEnv] of Object.entries(values)) merged[name] = { ...merged[name], ...byEnv };
  return { ...workflow, nodes: replaceValues(workflow.nodes, own.slots, merged, own.name, environment).nodes };
}
