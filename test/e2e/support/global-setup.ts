// globalSetup of `npm run test:e2e`: makes sure real n8n is installed in the cache (installing it the
// first time), and picks the PostgreSQL server the n8n instances run on. When the npm registry cannot be
// reached and nothing is cached, that version's stories are skipped with the reason; any other failure to
// install throws here and fails the run.
import type { TestProject } from "vitest/node";
import { N8N_1X, N8N_2X, ensureN8n, type N8nInstall } from "./install.ts";
import { pickServer } from "./postgres.ts";

declare module "vitest" {
  export interface ProvidedContext {
    e2eInstalls: N8nInstall[];
    e2eSkipReason: string;
    e2eAdminUrl: string;
  }
}

/** N8N_SYNC_E2E_VERSIONS=2.41.1,1.123.81 picks the n8n versions; default the pinned 2.x and 1.x */
function versions(): string[] {
  const fromEnv = process.env.N8N_SYNC_E2E_VERSIONS?.split(",").map((v) => v.trim()).filter(Boolean);
  return fromEnv && fromEnv.length > 0 ? fromEnv : [N8N_2X, N8N_1X];
}

export default async function setup(project: TestProject) {
  const installs: N8nInstall[] = [];
  const skipped: string[] = [];
  for (const version of versions()) {
    const result = await ensureN8n(version, (line) => console.log(line));
    if (result.ok) installs.push(result.install);
    else skipped.push(`n8n ${version}: ${result.skipReason}`);
  }
  if (skipped.length > 0) console.warn(`\n  n8n-sync e2e: SKIPPED ${skipped.join("; ")}\n`);
  // For skip-summary-reporter.ts, which repeats it under vitest's summary line.
  process.env.N8N_SYNC_E2E_SKIPPED = skipped.join("; ");

  const server = installs.length > 0 ? await pickServer() : undefined;
  project.provide("e2eInstalls", installs);
  project.provide("e2eSkipReason", skipped.join("; "));
  project.provide("e2eAdminUrl", server?.adminUrl ?? "");
  return async () => {
    await server?.stop();
  };
}
