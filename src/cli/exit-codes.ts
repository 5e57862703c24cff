// Documented exit codes of every n8n-sync command (README "Exit codes").
export const ExitCode = {
  OK: 0,
  /** something failed: the message says what and what to do */
  FAILURE: 1,
  /** bad flags or arguments */
  USAGE: 2,
  /** a workflow conflict was decided by the rule or left unresolved, or (--fail-on-missing-references) a reference would stay unresolved: a person should look */
  CONFLICT: 3,
  /** n8n has not created its tables in the configured schema yet */
  N8N_NOT_READY: 4,
  /** the secret scanner found something and it was not allowed */
  SECRETS_FOUND: 5,
  /** another runner held the migration lock for longer than the allowed wait */
  LOCK_TIMEOUT: 6,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
