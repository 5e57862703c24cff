// `tsx bench/secrets.ts [--n 1000] [--runs 3]`: the secret scanner's share of an export-prod run. Seeds
// N generated workflows (generate.ts) into a fixture database, runs export-prod's library function on
// them (in-process, the run's own time without process start-up, so the share is not flattered), then
// scans the same workflows as export-prod does (locateSecrets per workflow) and prints both
// medians and the share. Reported, never asserted; separate from run.ts so each can change alone.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { exportProd } from "../src/prod-sync/export-prod.ts";
import { locateSecrets } from "../src/secrets/scan.ts";
import { withDatabase } from "../test/e2e/support/instance.ts";
import { pickServer } from "../test/e2e/support/postgres.ts";
import { generateWorkflows } from "./generate.ts";
import { createN8nDatabase, dropDatabase, insertWorkflows } from "./seed.ts";

const options = new Command("bench:secrets")
  .option("--n <count>", "workflows exported", (v) => Number.parseInt(v, 10), 1000)
  .option("--runs <count>", "runs of each measurement (medians are reported)", (v) => Number.parseInt(v, 10), 3)
  .parse()
  .opts<{ n: number; runs: number }>();

const server = await pickServer();
const database = `n8nsync_bench_secrets_${process.pid}`;
const work = await mkdtemp(join(os.tmpdir(), "n8n-sync-bench-secrets-"));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  const workflows = generateWorkflows(options.n);
  await createN8nDatabase(server.adminUrl, database);
  await insertWorkflows(withDatabase(server.adminUrl, database), workflows);

  const exportMs: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    const started = performance.now();
    const result = await exportProd({
      envName: "bench",
      databaseUrl: withDatabase(server.adminUrl, database),
      schema: "public",
      migrationsDir: join(work, `run-${run}`),
      // generate.ts dates its workflows around 2026-01-15: a selection wide enough for all of them
      selection: { days: 100_000, names: [], ids: [], includeArchived: false },
    });
    exportMs.push(performance.now() - started);
    if (result.written !== options.n) throw new Error(`export-prod wrote ${result.written} of ${options.n} files (${result.blocked} blocked)`);
  }

  const scanMs: number[] = [];
  let findings = 0;
  for (let run = 0; run < options.runs; run++) {
    const started = performance.now();
    findings = workflows.reduce((count, workflow) => count + locateSecrets(workflow).length, 0);
    scanMs.push(performance.now() - started);
  }

  const [exported, scanned] = [median(exportMs), median(scanMs)];
  console.log(`bench:secrets: ${options.n} workflows, ${findings} findings`);
  console.log(`bench:secrets: export-prod ${exported.toFixed(0)} ms (median of ${options.runs}), scanner ${scanned.toFixed(0)} ms: ${((100 * scanned) / exported).toFixed(1)}% of the run`);
} finally {
  await dropDatabase(server.adminUrl, database).catch(() => {});
  await rm(work, { recursive: true, force: true });
  await server.stop();
}
