// Pure: what is left for a person after init, in the order they meet it. Init writes files; these steps
// need a database, GitHub's settings or a decision about the team's start scripts, so it lists every one
// of them rather than leaving a team to find them in the first failed run.
import { START_SCRIPTS } from "./package-scripts.ts";

export interface NextStepsInput {
  /** the start scripts init looked for (dev:api, prod:start, prod:restart) that package.json does not have */
  missingStartScripts: readonly string[];
}

export function nextSteps(input: NextStepsInput): string[] {
  const steps = [
    "put your local n8n database's DATABASE_URL in .env.development.local (git-ignored), then run npm run n8n:migrate-up",
    ...startScriptSteps(input.missingStartScripts),
    "production: a role that can write n8n's tables for migrate-up on the prod server (DATABASE_URL in its .env.production.local or environment), " +
      "and the read-only n8n_sync_reader role for export-prod (DATABASE_READER_URL; the SQL is in n8n-sync's README, \"Production export role\")",
    "GitHub secret N8N_PROD_DATABASE_URL: production's URL with the read-only n8n_sync_reader role (the scheduled prod sync only reads)",
    "GitHub: a token that triggers the prod-sync pull request's checks: a GitHub App (variable N8N_SYNC_APP_ID, secret N8N_SYNC_APP_PRIVATE_KEY) " +
      "or a fine-grained token (secret N8N_SYNC_PR_TOKEN), Contents and Pull requests read & write; without one the checks do not run on that pull request",
    'GitHub: Settings > Actions > General > Workflow permissions: tick "Allow GitHub Actions to create and approve pull requests"',
  ];
  return steps.map((step, i) => `  ${i + 1}. ${step}`);
}

/** One step when a start script init would hook is missing: which script to hook, and how. */
function startScriptSteps(missing: readonly string[]): string[] {
  if (missing.length === 0) return [];
  const how = missing.map((name) => `"${name}": "${START_SCRIPTS[name]}<your start command>"`).join(", ");
  return [
    `no ${missing.join(" / ")} script in package.json: run migrate-up before your server starts by adding ${how} ` +
      "(or put that prefix in front of the script that starts it); with && a failed migrate-up stops the start",
  ];
}
