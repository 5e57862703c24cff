// `npm run test:e2e`: n8n-sync against real n8n servers. Separate from `npm test` because the first run
// installs n8n (minutes, ~3 GB, cached afterwards) and each story boots n8n.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/e2e/**/*.e2e.test.ts"],
    globalSetup: ["test/e2e/support/global-setup.ts"],
    reporters: ["default", "./test/e2e/support/skip-summary-reporter.ts"],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    // n8n instances are heavy on two cores: one version at a time.
    fileParallelism: false,
    maxWorkers: 1,
  },
});
