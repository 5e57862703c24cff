// What a workflow migration needs to know about the database it lands in, passed from migrate-up to the
// SQL of the file as transaction-local settings (custom GUCs). A file applied by another tool (Supabase
// CLI) finds them unset and uses its defaults: the one schema holding n8n's tables, the owner's personal
// project, publish, no explicit credential bindings. `ALTER DATABASE ... SET n8n_sync.schema = 'n8n'`
// gives those runs a schema too.

export interface ApplySettings {
  /** schema of n8n's tables (N8N_DB_SCHEMA) */
  schema: string;
  /** owner project for workflows new to this database (N8N_PROJECT_ID) */
  projectId?: string | undefined;
  /** an active workflow's new version becomes its published one ("publish", default), or not ("keep") */
  publish?: "publish" | "keep";
  /** explicit credential bindings: source credential id -> this database's credential id */
  credentialMap?: Readonly<Record<string, string>> | undefined;
  /** this database's environment (migrate-up --env): files replace their source's environment values by its */
  environment?: string | undefined;
}

export const GUC = {
  schema: "n8n_sync.schema",
  projectId: "n8n_sync.project_id",
  publish: "n8n_sync.publish",
  credentialMap: "n8n_sync.credential_map",
  environment: "n8n_sync.environment",
} as const;

/** The settings as GUC name -> text value (unset ones omitted); the runner applies them per file. */
export function applySettingsGucs(settings: ApplySettings): Record<string, string> {
  const gucs: Record<string, string> = { [GUC.schema]: settings.schema };
  if (settings.projectId) gucs[GUC.projectId] = settings.projectId;
  if (settings.publish) gucs[GUC.publish] = settings.publish;
  if (settings.credentialMap && Object.keys(settings.credentialMap).length > 0) {
    gucs[GUC.credentialMap] = JSON.stringify(settings.credentialMap);
  }
  if (settings.environment) gucs[GUC.environment] = settings.environment;
  return gucs;
}
