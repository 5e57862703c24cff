// The bottom of every layer: the documented exit codes (README "Exit codes") and the one error type a
// user can act on. Library code throws UserError with the outcome it stands for; only the command layer
// (src/cli) turns outcomes into a process exit code.
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

/**
 * An expected failure with a one-line message that says what to do next. Library code throws it; the
 * command shell prints the message (never a stack) and exits with its code.
 */
export class UserError extends Error {
  override name = "UserError";
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue = ExitCode.FAILURE,
  ) {
    super(message);
  }
}
