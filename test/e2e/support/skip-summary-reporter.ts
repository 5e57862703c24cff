// Says under vitest's own summary line which n8n versions were skipped and why (only an unreachable npm
// registry skips), so a green e2e run that proved less than usual cannot be mistaken for a full one.
import type { Reporter } from "vitest/reporters";

export default class SkipSummaryReporter implements Reporter {
  onTestRunEnd(): void {
    const skipped = process.env.N8N_SYNC_E2E_SKIPPED;
    if (skipped) process.stdout.write(`\n n8n-sync e2e: SKIPPED ${skipped}\n`);
  }
}
