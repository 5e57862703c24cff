// The shell around every script: parse flags with commander (usage errors exit 2), run, and turn
// expected errors into one line and a documented exit code.
import { Command, CommanderError, Option } from "commander";
import { ConfigError } from "../config/config.ts";
import { ConnectionError } from "../db/db.ts";
import { ExitCode, UserError } from "../errors/errors.ts";
import { createOutput } from "../output/output.ts";

export { Command, Option };

/** A commander program with n8n-sync's common conventions. */
export function createProgram(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .showHelpAfterError("(run with --help for usage)")
    .allowExcessArguments(false)
    .configureOutput({ outputError: (text, write) => write(text) })
    .exitOverride();
}

/** --env, shared by every command that reads a database */
export function envOption(defaultEnv?: string): Option {
  const option = new Option("--env <name>", "environment whose .env files to load (else NODE_ENV, else development)");
  return defaultEnv ? option.default(defaultEnv) : option;
}

/** --db-url: the database URL for this run, over DATABASE_URL from every .env file and the environment (Supabase CLI's flag) */
export function dbUrlOption(): Option {
  return new Option("--db-url <url>", "connect to this database instead of DATABASE_URL (wins over the .env files and the environment)");
}

/**
 * Runs a command: parses argv, calls action, exits with its code. Errors the user can fix print one line;
 * anything else prints its message (and the stack with DEBUG=n8n-sync).
 */
export async function runMain(program: Command, argv: string[] = process.argv): Promise<never> {
  let code: number;
  try {
    await program.parseAsync(argv);
    code = typeof process.exitCode === "number" ? process.exitCode : ExitCode.OK;
  } catch (error) {
    code = reportError(error, { json: argv.includes("--json") });
  }
  // Let stdout drain before exiting (pipes to CI logs).
  await new Promise((resolve) => process.stdout.write("", resolve));
  process.exit(code);
}

export function reportError(error: unknown, options: { json?: boolean } = {}): number {
  const code = reportErrorText(error);
  // --json: scripts parse stdout, so the error is a JSON object there too (the line above stays on stderr).
  if (options.json && code !== ExitCode.OK) {
    const message = ((error as Error)?.message ?? String(error)).replace(/^error: /, "").trim();
    process.stdout.write(`${JSON.stringify({ error: { message, exitCode: code } }, null, 2)}\n`);
  }
  return code;
}

function reportErrorText(error: unknown): number {
  const out = createOutput();
  if (error instanceof CommanderError) {
    // --help and --version are "errors" to commander; they exit 0.
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0) return ExitCode.OK;
    return ExitCode.USAGE;
  }
  if (error instanceof UserError) {
    out.error(error.message);
    return error.exitCode;
  }
  if (error instanceof ConfigError || error instanceof ConnectionError) {
    out.error(error.message);
    return ExitCode.FAILURE;
  }
  const err = error as Error;
  out.error(err?.message ?? String(error));
  if (process.env.DEBUG?.includes("n8n-sync") && err?.stack) process.stderr.write(`${err.stack}\n`);
  return ExitCode.FAILURE;
}
