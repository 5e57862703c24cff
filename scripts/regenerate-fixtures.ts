// `npm run fixtures:regenerate [-- --version 2.41.1 --version 1.123.81]`: rebuilds n8n-databases/*.sql from
// real n8n. Boots the e2e suite's cached n8n (installing it if needed) on an empty database, lets it run
// its own migrations and create the shell owner, stops it, and dumps the database.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { createProgram, runMain } from "../src/cli/main.ts";
import { dumpDatabase } from "../test/e2e/support/dump.ts";
import { ensureN8n, N8N_1X, N8N_2X } from "../test/e2e/support/install.ts";
import { createInstance } from "../test/e2e/support/instance.ts";
import { pickServer } from "../test/e2e/support/postgres.ts";
import { PROJECT_ROOT } from "../test/e2e/support/scripts.ts";

/** the fixtures src/n8n/sample-databases.ts loads: n8n version and schema of each */
const FIXTURES = [
  { version: N8N_2X, schema: "public", file: `n8n-${N8N_2X}-postgres.sql` },
  { version: N8N_2X, schema: "n8n", file: `n8n-${N8N_2X}-postgres-schema-n8n.sql` },
  { version: N8N_1X, schema: "public", file: `n8n-${N8N_1X}-postgres.sql` },
];

const program = createProgram("regenerate-fixtures", "rebuild n8n-databases/*.sql from real n8n")
  .option("--version <version>", "only the fixtures of this n8n version (repeatable)", (value: string, all: string[]) => [...all, value], [] as string[])
  .option("--out <dir>", "folder to write to", join(PROJECT_ROOT, "n8n-databases"))
  .action(async (options: { version: string[]; out: string }) => {
    const chosen = FIXTURES.filter((fixture) => options.version.length === 0 || options.version.includes(fixture.version));
    const server = await pickServer();
    const workDir = await mkdtemp(join(os.tmpdir(), "n8n-sync-fixtures-"));
    try {
      for (const fixture of chosen) {
        const installed = await ensureN8n(fixture.version);
        if (!installed.ok) throw new Error(installed.skipReason);
        const instance = await createInstance({
          install: installed.install,
          name: `fixture-${fixture.schema}`,
          adminUrl: server.adminUrl,
          database: `n8nsync_fixture_${process.pid}`,
          schema: fixture.schema,
          workDir,
        });
        try {
          await instance.start();
          await instance.stop();
          await writeFile(join(options.out, fixture.file), await dumpDatabase(instance.databaseUrl));
          console.log(`wrote ${join(options.out, fixture.file)} (n8n ${fixture.version}, schema ${fixture.schema})`);
        } finally {
          await instance.destroy();
        }
      }
    } finally {
      await rm(workDir, { recursive: true, force: true });
      await server.stop();
    }
  });

await runMain(program);
