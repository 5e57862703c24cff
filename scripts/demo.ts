// `npm run demo`: the PRD's three stories on an embedded PostgreSQL (nothing to install beyond npm ci).
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createProgram, runMain } from "../src/cli/main.ts";
import { createOutput } from "../src/cli/output.ts";
import { runDemo } from "../src/demo/demo.ts";
import { startEmbeddedPostgres } from "../src/demo/embedded-postgres.ts";

const program = createProgram("demo", "walk the three stories (dev -> prod, prod -> dev, restart) on an embedded PostgreSQL")
  .option("--json", "print a machine-readable result")
  .addHelpText("after", "\nStarts embedded-postgres, creates a dev and a prod n8n database, and stops the server at the end, even on failure.\nExit codes: 0 every story held, 1 a step failed.")
  .action(async (opts) => {
    const out = createOutput({ json: Boolean(opts.json) });
    const migrationsDir = path.join(mkdtempSync(path.join(os.tmpdir(), "n8n-sync-demo-")), "supabase", "migrations");
    out.info("Starting an embedded PostgreSQL...");
    const server = await startEmbeddedPostgres();
    try {
      const result = await runDemo({ adminUrl: server.adminUrl, migrationsDir, print: (line) => out.info(line) });
      out.result({ migrationsDir, ...result });
    } finally {
      await server.stop();
    }
  });

await runMain(program);
