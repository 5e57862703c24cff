// Workflow data -> the SQL text of its migration. Pure: the target database is only known when the file
// applies, so the SQL finds n8n's schema, columns (1.x / 2.x), owner project and credentials itself.
// A file is one DO statement, so it is atomic under any runner (migrate-up, Supabase CLI, autocommit
// psql). Its DECLARE block holds the workflow (pretty-printed JSON), the only part that differs between
// files and the only part written here; the steps that follow are apply-workflow.sql, the same in every
// file: find n8n's schema, create the bookkeeping table, decide (conflict.ts rules), remap credentials
// (the credential rule; test/support/credential-oracle.ts is its test oracle), upsert, history, publish, tags, owner, bookkeeping row and NOTICE report.
// Text is carried in dollar quotes whose tag occurs nowhere in the content, and strings as JSON strings,
// so no content (quotes, $$, backslashes, \u0000 escapes, CR/LF conversion) can change what is applied.
import { APPLY_WORKFLOW_SQL } from "./apply-workflow.sql.ts";
import { renderHeader, type Source } from "./header.ts";
import { communityNodeUses } from "../n8n/node-types.ts";
import { findValueSlots } from "./environment-match.ts";
import { valuesByName, type ValuesTable } from "./environment-values.ts";
import { extractReferences, type WorkflowReferences } from "../n8n/references.ts";
import { extractCredentialReferences, type CredentialReference, type ExportedWorkflow } from "../n8n/workflow.ts";

export interface RenderOptions {
  /** the file name (naming.ts migrationFileName, with its prod_sync_ prefix for prod files) */
  migration: string;
  source: Source;
  /** where the workflow comes from, e.g. "2.x (schema public)" (workflow.ts describeSource) */
  n8n: string;
  /** e.g. "n8n-sync 0.1.0" */
  generatedBy: string;
  /** rollback files: header.ts rollsBackLine */
  rollsBack?: string | undefined;
  /** the environment exported from and its values file: nodes keep their values, the file says whose they are */
  environment?: { name: string; values: ValuesTable } | undefined;
}

/** apply-workflow.sql without its opening comment (the first block of lines, up to a blank line), split where the data goes. */
const [BEFORE_DATA, AFTER_DATA] = APPLY_WORKFLOW_SQL.slice(APPLY_WORKFLOW_SQL.indexOf("\n\n") + 2).split("  -- @data") as [string, string];
const TEMPLATE_TAG = "$n8n_sync$";

export function renderWorkflowMigration(workflow: ExportedWorkflow, options: RenderOptions): string {
  const json = (value: unknown): string | null => (value === undefined || value === null ? null : JSON.stringify(value, null, 2));
  const contents = {
    name: JSON.stringify(workflow.name),
    description: JSON.stringify(workflow.description ?? null),
    tags: JSON.stringify([...new Set(workflow.tags)].sort()),
    credentials: JSON.stringify(
      credentialReferences(workflow).map((ref) => ({ nodeIndex: ref.nodeIndex, node: noNul(ref.node), type: noNul(ref.type), id: ref.id, name: noNul(ref.name) })),
      null,
      2,
    ),
    project: workflow.ownerProject ? JSON.stringify({ name: noNul(workflow.ownerProject.name), type: workflow.ownerProject.type }) : null,
    folderPath: JSON.stringify((workflow.folderPath ?? []).map(noNul)),
    references: JSON.stringify(namedReferences(workflow), null, 2),
    // JSON null when unknown: `'null'::json #>> '{}'` is NULL, and every file keeps the same line shape (validate's template check).
    n8nVersion: JSON.stringify(workflow.nodeTypes?.n8nVersion || null),
    communityNodes: JSON.stringify(
      workflow.nodeTypes ? communityNodeUses(workflow.nodes, workflow.nodeTypes).map((use) => ({ ...use, node: noNul(use.node), type: noNul(use.type) })) : [],
      null,
      2,
    ),
    settings: json(workflow.settings),
    meta: json(workflow.meta),
    nodeGroups: json(workflow.nodeGroups),
    pinData: json(workflow.pinData),
    connections: json(workflow.connections) ?? "{}",
    nodes: json(workflow.nodes) ?? "[]",
    ...environmentContents(workflow, options.environment),
  };
  const texts = Object.values(contents).filter((text): text is string => text !== null);
  const tag = dollarTag("n8n", texts);
  const q = (text: string | null): string => (text === null ? "NULL" : `${tag}${text}${tag}`);
  const updatedAt = isoTimestamp(workflow.updatedAt, "updatedAt");
  const createdAt = isoTimestamp(workflow.createdAt, "createdAt");

  const data = `  -- The workflow as the source had it. Strings are JSON strings (any text, any line endings).
  in_migration        constant text        := ${sqlString(options.migration)};
  in_source           constant text        := ${sqlString(options.source)};
  in_id               constant text        := ${sqlString(workflow.id)};
  in_version_id       constant text        := ${sqlString(workflow.versionId)};
  in_created_at       constant timestamptz := ${sqlString(createdAt)};
  in_updated_at       constant timestamptz := ${sqlString(updatedAt)};
  in_archived         constant boolean     := ${workflow.isArchived ? "true" : "false"};
  in_name             constant text        := ${q(contents.name)}::json #>> '{}';
  in_description      constant text        := ${q(contents.description)}::json #>> '{}';
  in_tags             constant json        := ${q(contents.tags)};
  -- Credentials the nodes use, as the source names them (nodeIndex: position in nodes, from 0).
  in_credentials      constant json        := ${q(contents.credentials)};
  in_settings         constant json        := ${q(contents.settings)};
  in_meta             constant json        := ${q(contents.meta)};
  in_node_groups      constant json        := ${q(contents.nodeGroups)};${workflow.nodeGroups === undefined ? " -- the source has none (n8n 1.x)" : ""}
  in_carries_pin_data constant boolean     := ${workflow.pinData === undefined ? "false" : "true"};
  in_pin_data         constant json        := ${q(contents.pinData)};${workflow.pinData === undefined ? " -- not exported (export --include-pin-data)" : ""}
  in_connections      constant json        := ${q(contents.connections)};
  in_nodes            constant json        := ${q(contents.nodes)};
  -- Where it lives in the source: its owner project and the folder names from that project's root. A
  -- workflow new here goes to the team project of that name and the folder of that path (made if missing).
  in_project          constant json        := ${q(contents.project)};
  in_folder_path      constant json        := ${q(contents.folderPath)};
  -- What the nodes point at: data tables (remapped to the same-named table of the workflow's project
  -- here), called workflows (ids kept) and $vars names; the ones this database lacks are reported.
  in_references       constant json        := ${q(contents.references)};
  -- The n8n the workflow was made on (NULL: not known) and its nodes whose type a community package
  -- provides there, with that package's version: the target is checked for both (nodes stay as they are).
  in_n8n_version      constant text        := ${q(contents.n8nVersion)}::json #>> '{}';
  in_community_nodes  constant json        := ${q(contents.communityNodes)};
  -- Environment values (the values file, e.g. supabase/n8n-values.json): the environment this file was
  -- exported from (its nodes hold that environment's values), the named values they hold in each
  -- environment, and the parameters holding them (text split into literal parts and names).
  in_environment      constant text        := ${q(JSON.stringify(options.environment?.name ?? null))}::json #>> '{}';
  in_env_values       constant json        := ${q(contents.envValues)};
  in_env_slots        constant json        := ${q(contents.envSlots)};`;

  // The DO body holds the data: its tag must not occur in it either.
  const body = dollarTag("n8n_sync", [`${BEFORE_DATA.replaceAll(TEMPLATE_TAG, "")}${data}${AFTER_DATA.replaceAll(TEMPLATE_TAG, "")}`]);
  const header = renderHeader({
    migration: options.migration,
    source: options.source,
    workflowName: workflow.name,
    lastUpdated: updatedAt,
    workflowId: workflow.id,
    versionId: workflow.versionId,
    n8n: options.n8n,
    generatedBy: options.generatedBy,
    ...(options.rollsBack !== undefined ? { rollsBack: options.rollsBack } : {}),
  });
  // Only the template's own tags are replaced: the data may contain the text "$n8n_sync$".
  return `${header}\n\n${BEFORE_DATA.replaceAll(TEMPLATE_TAG, body)}${data}${AFTER_DATA.replaceAll(TEMPLATE_TAG, body)}`;
}

/**
 * `$name$`, or `$name_1$`, `$name_2$`... : the first tag that ends no content early. Checking
 * content + tag also rejects content ending in a prefix of the tag, e.g. `...$n8n` + `$n8n$`.
 */
/**
 * `tag` appears in `text + tag` only as the closing tag: not inside the text, and not formed by the
 * text's last characters with the closing tag (text ending in "$n8n" would close early). Only the tail
 * is concatenated: the texts are up to megabytes each.
 */
function closesOnlyAtEnd(text: string, tag: string): boolean {
  const tail = text.slice(-(tag.length - 1));
  return !text.includes(tag) && (tail + tag).indexOf(tag) === tail.length;
}

export function dollarTag(name: string, contents: readonly string[]): string {
  for (let i = 0; ; i++) {
    const tag = i === 0 ? `$${name}$` : `$${name}_${i}$`;
    if (contents.every((text) => closesOnlyAtEnd(text, tag))) return tag;
  }
}

/** The parameters holding the source environment's values, and those values in every environment (used names only). */
function environmentContents(workflow: ExportedWorkflow, environment: RenderOptions["environment"]): { envValues: string; envSlots: string } {
  const slots = environment ? findValueSlots(workflow.nodes, environment.values, environment.name) : [];
  const used = new Set(slots.flatMap((slot) => slot.parts.filter((_, i) => i % 2 === 1)));
  const values = valuesByName((environment?.values ?? []).filter((entry) => used.has(entry.name)));
  return {
    envValues: JSON.stringify(values, null, 2),
    envSlots: slots.length === 0 ? "[]" : `[\n${slots.map((slot) => `  ${JSON.stringify(slot)}`).join(",\n")}\n]`,
  };
}

/**
 * Every reference the nodes make (so none can be left out), named as `workflow.credentials` names it
 * (read.ts: the source credential's current name) where it does.
 */
function credentialReferences(workflow: ExportedWorkflow): CredentialReference[] {
  const key = (ref: CredentialReference) => `${ref.nodeIndex} ${ref.type}`;
  const names = new Map(workflow.credentials.map((ref) => [key(ref), ref.name]));
  return extractCredentialReferences(workflow.nodes).map((ref) => ({ ...ref, name: names.get(key(ref)) ?? ref.name }));
}

/** The nodes' references, named as read.ts named them from the source where it did; labels without U+0000. */
function namedReferences(workflow: ExportedWorkflow): WorkflowReferences {
  const refs = workflow.references ?? extractReferences(workflow.nodes);
  return {
    dataTables: refs.dataTables.map((ref) => ({ ...ref, id: noNul(ref.id), node: noNul(ref.node), name: noNul(ref.name) })),
    workflows: refs.workflows.map((ref) => ({ ...ref, id: noNul(ref.id), node: noNul(ref.node), name: noNul(ref.name) })),
    expressionCalls: refs.expressionCalls.map(noNul),
    variables: refs.variables.map(noNul),
  };
}

/** A standard SQL string literal (standard_conforming_strings: only quotes are doubled). */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function isoTimestamp(value: string, field: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new Error(`workflow ${field} "${value}" is not a timestamp`);
  return date.toISOString();
}

/** Report labels only: PostgreSQL text cannot hold U+0000. */
function noNul(text: string): string {
  return text.replace(/\u0000/g, "\uFFFD");
}
