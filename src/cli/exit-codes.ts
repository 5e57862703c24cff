// The command layer's half of the exit codes: the library reports what happened (a run's status, the
// workflows blocked by secrets), and each command turns that outcome into its documented exit code.
import { ExitCode, type ExitCodeValue } from "../errors/errors.ts";
import type { MigrateUpResult } from "../migrate-up/migrate-up.ts";
import type { ExportProdResult } from "../prod-sync/export-prod.ts";
import type { StatusResult } from "../status/status.ts";
import { isConflict } from "../workflows/report.ts";

/**
 * migrate-up: 1 failed, refused or a waiting workflow failed to land, 4 n8n's tables in another schema than
 * configured, 3 unresolved references with --fail-on-missing-references, a conflict with --fail-on-conflict
 * or a publish n8n refused with --fail-on-publish-error, else 0
 */
export function migrateUpExitCode(
  result: MigrateUpResult,
  options: { failOnConflict?: boolean; failOnPublishError?: boolean; publishRefused?: boolean } = {},
): ExitCodeValue {
  if (result.status === "failed" || result.status === "refused" || result.status === "waiting-failed") return ExitCode.FAILURE;
  if (result.status === "n8n-not-ready") return ExitCode.N8N_NOT_READY;
  if (result.status === "missing-references") return ExitCode.CONFLICT;
  const conflict = result.applied.some((file) => file.reports.some((report) => isConflict(report.outcome)));
  if (conflict && options.failOnConflict) return ExitCode.CONFLICT;
  return options.publishRefused && options.failOnPublishError ? ExitCode.CONFLICT : ExitCode.OK;
}

/** status: 1 when an applied file drifted (the next migrate-up stops there), 3 when a workflow conflicts, else 0 */
export function statusExitCode(result: Pick<StatusResult, "drifted" | "workflows">): ExitCodeValue {
  if (result.drifted.length > 0) return ExitCode.FAILURE;
  return result.workflows.some((w) => w.agreement === "conflict") ? ExitCode.CONFLICT : ExitCode.OK;
}

/** export-prod: 5 when a workflow was held back for secrets, else 0 */
export function exportProdExitCode(result: Pick<ExportProdResult, "blocked">): ExitCodeValue {
  return result.blocked > 0 ? ExitCode.SECRETS_FOUND : ExitCode.OK;
}
