// n8n-sync diff: what a workflow migration changes, for review; scripts/diff.ts runs it (npm run n8n:diff).
import pc from "picocolors";
import { Option, createProgram, type Command } from "../main.ts";
import { createOutput } from "../../output/output.ts";
import { loadConfig, loadFilesConfig } from "../../config/config.ts";
import { compareMigrations } from "../../diff/compare.ts";
import { renderDiffMarkdown } from "../../diff/render-markdown.ts";
import { renderDiffTerminal } from "../../diff/render-terminal.ts";
import { readWorkflows } from "../../n8n/read.ts";
import { readNodeTypeSource } from "../../n8n/node-types.ts";
import { withReadOnlySource } from "../../prod-sync/source.ts";
import { ExitCode, UserError } from "../../errors/errors.ts";

export const diffCommand: Command = createProgram("diff", "what workflow migrations change: nodes, parameters, connections, settings, references; Markdown with a Mermaid diagram for pull requests")
  .argument("[targets...]", "migration files, workflow names or ids (default: workflow migrations changed against the main branch)")
  .addOption(new Option("--env <name>", "compare with what this environment's database has now (read-only session), not with the earlier migration"))
  .option("--base <ref>", "find changed files against this branch instead of origin/main, then main")
  .option("--markdown", "print Markdown (with a Mermaid diagram per workflow), as the pull-request check posts it")
  .option("--max-chars <n>", "with --markdown: cut to at most this many characters and say what was cut (a GitHub comment holds 65536)")
  .option("--json", "print a machine-readable result")
  .addHelpText(
    "after",
    "\nCompares each migration with the newest earlier migration of the same workflow in its folder (or with --env's database).\nExit codes: 0 ok, 1 failure, 2 usage.",
  )
  .action(async (targets: string[], opts) => {
    const maxChars = opts.maxChars === undefined ? undefined : Number(opts.maxChars);
    if (maxChars !== undefined && (!Number.isInteger(maxChars) || maxChars < 1000)) {
      throw new UserError(`--max-chars must be a whole number of at least 1000, got ${JSON.stringify(opts.maxChars)}`, ExitCode.USAGE);
    }
    const out = createOutput({ json: Boolean(opts.json) });
    const files = loadFilesConfig({ env: opts.env });
    const compare = (environment?: Parameters<typeof compareMigrations>[0]["environment"]) =>
      compareMigrations({ migrationsDir: files.migrationsDir, targets, base: opts.base, environment });
    let result: Awaited<ReturnType<typeof compareMigrations>>;
    if (opts.env) {
      const config = loadConfig({ env: opts.env, access: "read" });
      result = await withReadOnlySource(config.databaseUrl, config.n8nSchema, async (source) => {
        const nodeTypes = await readNodeTypeSource(source.client, source.schema.schema);
        const read = async (ids: readonly string[]) =>
          new Map([...(await readWorkflows(source.prisma, source.schema.features, ids))].map(([id, workflow]) => [id, { ...workflow, nodeTypes }]));
        return compare({ name: config.envName, read });
      });
    } else {
      result = await compare();
    }
    // Once, as a count: a folder of plain SQL migrations is normal, not one warning per file.
    if (result.skipped.length > 0) {
      const n = result.skipped.length;
      out.warn(`${n} changed file${n === 1 ? " is" : "s are"} not workflow migration${n === 1 ? "" : "s"} (plain SQL): nothing to compare there`);
    }
    if (opts.json) {
      out.result({ scope: result.scope, workflows: result.reports.map(({ diff: { graph: _graph, ...change }, ...report }) => ({ ...report, change })) });
    } else if (opts.markdown) {
      process.stdout.write(renderDiffMarkdown(result.reports, { scope: result.scope, ...(maxChars ? { maxChars } : {}) }));
    } else {
      const color = pc.isColorSupported && Boolean(process.stdout.isTTY);
      for (const line of renderDiffTerminal(result.reports, { color })) out.info(line);
      out.info(pc.createColors(color).dim(`${result.reports.length} workflow migration${result.reports.length === 1 ? "" : "s"} compared (${result.scope})`));
    }
  });
