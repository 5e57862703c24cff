#!/usr/bin/env node
// The `n8n-sync` command (package bin): one subcommand per module of src/cli/commands, each imported only
// when it runs, so `n8n-sync migrate-up` (run on every start) loads the runner and nothing else: no
// Prisma, no exporter. Adding a subcommand is one line in COMMANDS.
import pkg from "../../package.json" with { type: "json" };
import { createProgram, runMain, type Command } from "./main.ts";

const COMMANDS: Record<string, () => Promise<Command>> = {
  init: async () => (await import("./commands/init.ts")).initCommand,
  export: async () => (await import("./commands/export.ts")).exportCommand,
  "export-prod": async () => (await import("./commands/export-prod.ts")).exportProdCommand,
  "migrate-up": async () => (await import("./commands/migrate-up.ts")).migrateUpCommand,
  status: async () => (await import("./commands/status.ts")).statusCommand,
  validate: async () => (await import("./commands/validate.ts")).validateCommand,
  rollback: async () => (await import("./commands/rollback.ts")).rollbackCommand,
  repair: async () => (await import("./commands/repair.ts")).repairCommand,
  diff: async () => (await import("./commands/diff.ts")).diffCommand,
  demo: async () => (await import("./commands/demo.ts")).demoCommand,
};

/** `n8n-sync <command> [options]`: only the named command is loaded (none for --version); help and mistakes load them all. */
async function runN8nSync(argv: string[] = process.argv): Promise<never> {
  const program = createProgram("n8n-sync", pkg.description).usage("<command> [options]").version(pkg.version);
  const named = argv[2] ?? "";
  const chosen = Object.hasOwn(COMMANDS, named) ? [named] : named === "--version" || named === "-V" ? [] : Object.keys(COMMANDS);
  for (const name of chosen) program.addCommand(await COMMANDS[name]!());
  return runMain(program, argv);
}

await runN8nSync();
