// The root package.json scripts init adds (the names the docs use) and the start scripts it puts
// migrate-up in front of. Pure: the old scripts in, the new scripts and what changed out.
export const N8N_SCRIPTS: Readonly<Record<string, string>> = {
  "n8n:create-migration": "n8n-sync export",
  "n8n:create-history": "n8n-sync export-prod",
  "n8n:migrate-up": "n8n-sync migrate-up",
  "n8n:sync-from-prod": "n8n-sync export-prod --git-add",
  "n8n:status": "n8n-sync status",
  "n8n:validate": "n8n-sync validate",
  // the pull-request check init writes posts `npm run n8n:diff`
  "n8n:diff": "n8n-sync diff",
  // the docs (rollback, conflict resolution, operations) tell a team to run these
  "n8n:rollback": "n8n-sync rollback",
  "n8n:repair": "n8n-sync repair",
};

/** start scripts that get migrate-up first, when they exist: a failed migrate-up stops the start (`&&`) */
export const START_SCRIPTS: Readonly<Record<string, string>> = {
  "dev:api": "npm run n8n:migrate-up && ",
  "prod:start": "npm run n8n:migrate-up -- --env production && ",
  "prod:restart": "npm run n8n:migrate-up -- --env production && ",
};

export interface ScriptsPlan {
  scripts: Record<string, string>;
  /** one line per script added, prefixed or replaced */
  changed: string[];
  /** one line per script left as it was although it differs */
  kept: string[];
  /** the start scripts (START_SCRIPTS) package.json does not have: nothing runs migrate-up before those starts */
  missingStartScripts: string[];
}

export function planScripts(existing: Readonly<Record<string, string>>, force: boolean): ScriptsPlan {
  const scripts = { ...existing };
  const changed: string[] = [];
  const kept: string[] = [];
  const missingStartScripts: string[] = [];
  for (const [name, command] of Object.entries(N8N_SCRIPTS)) {
    const current = scripts[name];
    if (current === command) continue;
    if (current !== undefined && !force) {
      kept.push(`script ${name} kept as "${current}" (init would write "${command}"; --force replaces it)`);
      continue;
    }
    scripts[name] = command;
    changed.push(`script ${name}: ${command}`);
  }
  for (const [name, prefix] of Object.entries(START_SCRIPTS)) {
    const current = scripts[name];
    // Once: a script that already runs migrate-up (this prefix or the team's own wiring) is left alone.
    if (current === undefined) missingStartScripts.push(name);
    if (current === undefined || current.includes("n8n:migrate-up")) continue;
    scripts[name] = prefix + current;
    changed.push(`script ${name}: ${prefix}...`);
  }
  return { scripts, changed, kept, missingStartScripts };
}
