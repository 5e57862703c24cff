// A suite of one test, run in a child vitest by test/integration/harness/exit-code.test.ts: it passes or
// fails as PROBE_OUTCOME says, after really using the database the harness started.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("../../..", import.meta.url).pathname,
    include: ["test/support/exit-code-probe/*.probe.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    hookTimeout: 120_000,
    testTimeout: 60_000,
  },
});
