// What export says about the values file against the workflows of the environment it reads: entries
// none of its workflows hold (stale: renamed, removed, or never there), and another environment's value
// found in an exported workflow (a prod URL pasted into dev would travel back to prod as a dev value).
import type pg from "pg";
import { quoteIdent } from "../db/db.ts";
import { findValueSlots } from "./environment-match.ts";
import { environmentsOf, type ValuesTable } from "./environment-values.ts";

export interface ForeignValue {
  workflowId: string;
  workflow: string;
  node: string;
  name: string;
  /** the environment whose value it is */
  environment: string;
}

export interface EnvironmentValuesReport {
  /** the environment exported from: the files hold its values */
  environment: string;
  /** names whose value in this environment no workflow here holds */
  stale: string[];
  foreign: ForeignValue[];
}

/** Another environment's values in the workflow's node parameters (pure). */
export function foreignValues(workflow: { id: string; name: string; nodes: readonly unknown[] }, table: ValuesTable, environment: string): ForeignValue[] {
  return environmentsOf(table)
    .filter((env) => env !== environment)
    .flatMap((env) =>
      findValueSlots(workflow.nodes, table, env).flatMap((slot) =>
        slot.parts
          .filter((_, i) => i % 2 === 1)
          // The same text in both environments is no mistake.
          .filter((name) => table.find((e) => e.name === name)?.values[environment] !== table.find((e) => e.name === name)?.values[env])
          .map((name) => ({ workflowId: workflow.id, workflow: workflow.name, node: slot.node, name, environment: env })),
      ),
    );
}

/**
 * Names whose value in `environment` occurs in no workflow of this database (one query: a text search of
 * the stored nodes; the value as JSON text, so quotes and backslashes compare as stored).
 */
export async function staleValues(client: pg.Client, schema: string, table: ValuesTable, environment: string): Promise<string[]> {
  const entries = table.flatMap((entry) => (entry.values[environment] ? [{ name: entry.name, text: JSON.stringify(entry.values[environment]).slice(1, -1) }] : []));
  if (entries.length === 0) return [];
  const { rows } = await client.query<{ name: string }>(
    `SELECT v.name FROM unnest($1::text[], $2::text[]) AS v(name, text)
      WHERE NOT EXISTS (SELECT 1 FROM ${quoteIdent(schema)}.workflow_entity w WHERE strpos(w.nodes::text, v.text) > 0)`,
    [entries.map((e) => e.name), entries.map((e) => e.text)],
  );
  const stale = new Set(rows.map((row) => row.name));
  return entries.filter((e) => stale.has(e.name)).map((e) => e.name);
}

/** One line per finding, for the command's output. */
export function environmentValuesLines(report: EnvironmentValuesReport, valuesFile: string): string[] {
  return [
    ...report.stale.map((name) => `values file: no workflow in ${report.environment} holds ${name}'s ${report.environment} value: update or remove it in ${valuesFile}`),
    ...report.foreign.map(
      (f) => `"${f.workflow}" (${f.workflowId}), node "${f.node}": holds ${f.name}'s ${f.environment} value in ${report.environment}: use the ${report.environment} value there (it would travel as a ${report.environment} value)`,
    ),
  ];
}
