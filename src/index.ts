// The n8n-sync library (`import { migrateUp, exportWorkflows, exportProd } from "n8n-sync"`): the same
// functions the commands call. They return results and throw UserError (message + exit code) for what a
// person fixes; nothing here prints or exits. The exit-code helpers map results the way the commands do.
export { ExitCode, UserError, type ExitCodeValue } from "./errors/errors.ts";
export { ConfigError, loadConfig, loadFilesConfig, maskUrl, type Config, type FilesConfig, type LoadConfigOptions } from "./config/config.ts";
export { ConnectionError } from "./db/db.ts";
export { migrateUp, type MigrateUpOptions, type MigrateUpResult, type RunEvent } from "./migrate-up/migrate-up.ts";
export { settlePublications, type Publication, type PublicationOptions } from "./migrate-up/publication.ts";
export { applySettingsFromConfig } from "./cli/migrate-up-options.ts";
export { repairHistory, type RepairOptions, type RepairResult } from "./migrations/repair.ts";
export { exportWorkflows, type ExportOptions, type ExportResult } from "./workflows/export.ts";
export { exportProd, type ExportProdOptions, type ExportProdResult } from "./prod-sync/export-prod.ts";
export { readAllowlist, type Allowlist } from "./secrets/allowlist.ts";
export { readStatus, type StatusOptions, type StatusResult } from "./status/status.ts";
export { validateFiles, type ValidateOptions, type ValidateResult } from "./validate/validate.ts";
export { rollbackWorkflow, type RollbackOptions, type RollbackResult } from "./rollback/rollback.ts";
export { init, type InitOptions, type InitResult } from "./init/init.ts";
export { exportProdExitCode, migrateUpExitCode } from "./cli/exit-codes.ts";
