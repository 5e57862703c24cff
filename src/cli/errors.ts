import { ExitCode, type ExitCodeValue } from "./exit-codes.ts";

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
