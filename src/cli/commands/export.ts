// Exports n8n workflows into SQL migrations: `tsx scripts/export.ts --env development "Workflow Name"`.
import { createProgram, envOption, Option } from "../main.ts";
import { createOutput } from "../../output.ts";
import { loadConfig } from "../../config.ts";
import { exportWorkflows } from "../../workflows/export.ts";

export const exportCommand = createProgram("export", "export n8n workflows into timestamped SQL migrations (one file per workflow)")
  .argument("[names...]", "exact workflow names")
  .addOption(envOption())
  .option("--id <id>", "a workflow id (repeatable)", (id: string, ids: string[]) => [...ids, id], [] as string[])
  .option("--all", "every workflow that is not archived")
  .option("--force", "write a file even when this version already has one")
  .option("--include-pin-data", "keep the workflow's pinned test data in the file")
  .option("--with-dependencies", "also every workflow they call (sub-workflows), callees in earlier files")
  .addOption(new Option("--source <source>", "where the workflow comes from").choices(["dev", "staging"]).default("dev"))
  .option("--json", "print a machine-readable result")
  .action(async (names: string[], opts) => {
    const config = loadConfig({ env: opts.env });
    const out = createOutput({ json: Boolean(opts.json) });
    const result = await exportWorkflows(
      config,
      {
        names,
        ids: opts.id,
        all: opts.all,
        force: opts.force,
        includePinData: opts.includePinData,
        source: opts.source,
        withDependencies: opts.withDependencies,
      },
      () => new Date(),
    );
    for (const called of result.dependencies ?? []) out.info(`with dependencies: "${called.name}" (${called.workflowId}) is called by the selection`);
    for (const file of result.written) out.info(`wrote ${file.path} ("${file.name}")`);
    for (const skip of result.skipped) {
      out.info(`unchanged: "${skip.name}" is already in ${skip.existingFile} (--force writes it again)`);
    }
    out.result(result);
  });
