// Exports n8n workflows into SQL migrations: `tsx scripts/export.ts --env development "Workflow Name"`.
import path from "node:path";
import { createProgram, dbUrlOption, envOption, Option } from "../main.ts";
import { favourMemoryOverSpeed } from "../memory.ts";
import { createOutput } from "../../output/output.ts";
import { createProgress } from "../../output/progress.ts";
import { loadConfig, databaseTarget } from "../../config/config.ts";
import { exportWorkflows } from "../../workflows/export.ts";
import { oneLine } from "../../output/output.ts";
import { environmentValuesLines } from "../../workflows/environment-check.ts";
import { readValuesFile } from "../../workflows/environment-values-file.ts";

export const exportCommand = createProgram("export", "export n8n workflows into timestamped SQL migrations (one file per workflow)")
  .argument("[names...]", "exact workflow names")
  .addOption(envOption())
  .addOption(dbUrlOption())
  .option("--name <name>", "an exact workflow name (repeatable; the same as naming it as an argument)", (name: string, names: string[]) => [...names, name], [] as string[])
  .option("--id <id>", "a workflow id (repeatable)", (id: string, ids: string[]) => [...ids, id], [] as string[])
  .option("--all", "every workflow that is not archived")
  .option("--force", "write a file even when this version already has one")
  .option("--include-pin-data", "keep the workflow's pinned test data in the file")
  .option("--with-dependencies", "also every workflow they call (sub-workflows), callees in earlier files")
  .addOption(new Option("--source <source>", "where the workflow comes from").choices(["dev", "staging"]).default("dev"))
  .option("--values-file <file>", "the environment values file (else N8N_VALUES_FILE, else supabase/n8n-values.json)")
  .option("--verbose", "on a terminal, also print each file's line above the progress bar")
  .option("--json", "print a machine-readable result")
  .addHelpText(
    "after",
    "\nExit codes: 0 written (or already exported), 1 failure (unknown workflow: the message lists close names), 2 usage, 4 n8n not ready (start n8n once).",
  )
  .action(async (args: string[], opts) => {
    favourMemoryOverSpeed();
    const names = [...args, ...(opts.name as string[])];
    const config = loadConfig({ env: opts.env, databaseUrl: opts.dbUrl });
    const valuesFile: string = opts.valuesFile ? path.resolve(opts.valuesFile) : config.valuesFile;
    const out = createOutput({ json: Boolean(opts.json) });
    const progress = createProgress(out, { label: "exporting", verbose: Boolean(opts.verbose) });
    const started = performance.now();
    const result = await exportWorkflows({ ...databaseTarget(config), names,
        ids: opts.id,
        all: opts.all,
        force: opts.force,
        includePinData: opts.includePinData,
        source: opts.source,
        withDependencies: opts.withDependencies,
        environment: { name: config.envName, values: await readValuesFile(valuesFile) },
        onEvent: (event) => {
          if (event.type === "selected") return progress.start(event.toExport);
          progress.line(`wrote ${event.file.path} ("${oneLine(event.file.name)}")`);
          progress.advance(event.file.name);
        }, clock: () => new Date() }).finally(() => progress.stop());
    for (const called of result.dependencies ?? []) out.info(`with dependencies: "${oneLine(called.name)}" (${called.workflowId}) is called by the selection`);
    if (result.environmentValues) for (const line of environmentValuesLines(result.environmentValues, valuesFile)) out.warn(line);
    for (const skip of result.skipped) {
      out.info(`unchanged: "${oneLine(skip.name)}" is already in ${skip.existingFile} (--force writes it again)`);
    }
    // Behind a bar the per-file lines were not printed: list the files, then say what happened.
    if (progress.bar && !opts.verbose) for (const file of result.written) out.info(`wrote ${file.path} ("${file.name}")`);
    if (progress.bar) out.info(`wrote ${result.written.length} file(s) to ${config.migrationsDir}, ${result.skipped.length} unchanged, in ${((performance.now() - started) / 1000).toFixed(1)}s`);
    out.result(result);
  });
