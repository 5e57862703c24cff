// `npm run demo`: the three stories on an embedded PostgreSQL (nothing to install beyond npm ci).
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createProgram, Option } from "../main.ts";
import { createOutput } from "../../output/output.ts";
import { maskUrl } from "../../config/config.ts";
import { runDemo, type DemoLines } from "../../demo/demo.ts";
import { demoRunLines } from "../migrate-up-lines.ts";
import { statusSummaryLine } from "../status-lines.ts";
import { startEmbeddedPostgres, type EmbeddedServer } from "../../samples/embedded-postgres.ts";

/** The demo prints what the commands would. */
export const DEMO_LINES: DemoLines = { migrateUp: demoRunLines, status: statusSummaryLine };

export const demoCommand = createProgram("demo", "walk the three stories (dev -> prod, prod -> dev, restart) on an embedded PostgreSQL")
  .addOption(
    new Option("--postgres-url <url>", "use this PostgreSQL (a superuser URL) instead of starting an embedded one").env("N8N_SYNC_DEMO_POSTGRES_URL"),
  )
  .option("--migrations-dir <dir>", "write the demo's migration files here and keep them (default: a new temp folder)")
  .option("--json", "print a machine-readable result")
  .addHelpText(
    "after",
    "\nCreates a dev and a prod n8n database (dropped at the end) and stops the embedded server, even on failure.\nExit codes: 0 every story held, 1 a step failed.",
  )
  .action(async (opts) => {
    const out = createOutput({ json: Boolean(opts.json) });
    const migrationsDir: string = opts.migrationsDir ?? path.join(mkdtempSync(path.join(os.tmpdir(), "n8n-sync-demo-")), "supabase", "migrations");
    let server: EmbeddedServer | undefined;
    if (opts.postgresUrl) {
      out.info(`Using PostgreSQL at ${maskUrl(opts.postgresUrl)}`);
    } else {
      out.info("Starting an embedded PostgreSQL...");
      server = await startEmbeddedPostgres();
    }
    try {
      const adminUrl = opts.postgresUrl ?? server!.adminUrl;
      const result = await runDemo({ adminUrl, migrationsDir, databasePrefix: `n8n_sync_demo_${process.pid}`, print: (line) => out.info(line), lines: DEMO_LINES });
      out.result({ migrationsDir, ...result });
    } finally {
      await server?.stop();
    }
  });
