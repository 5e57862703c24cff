// Live reload of changed active workflows through n8n's public API, so a new published version runs
// without restarting n8n. Deactivate + activate: n8n 1.x ignores /activate when activeVersionId already
// equals versionId, and 2.x re-registers webhooks and triggers (a changed path needs that) on activate.
// Failures are reported, never thrown: the database stays as migrated and a restart also picks it up.

export interface N8nApi {
  /** base URL of n8n, e.g. http://127.0.0.1:5678 (N8N_API_URL) */
  url: string;
  /** public API key (N8N_API_KEY); sent as X-N8N-API-KEY, never printed */
  apiKey: string;
  /** per request, default 15 s */
  timeoutMs?: number;
}

export interface ReloadResult {
  workflowId: string;
  name: string;
  ok: boolean;
  /** why it failed, for one output line */
  error?: string;
}

/** The active workflows a run moved to a new published version, once each, in the order they changed. */
export function workflowsToReload(
  reports: ReadonlyArray<{ workflowId: string; name: string; reloadNeeded: boolean }>,
): Array<{ workflowId: string; name: string }> {
  const byId = new Map<string, string>();
  for (const report of reports) if (report.reloadNeeded) byId.set(report.workflowId, report.name);
  return [...byId].map(([workflowId, name]) => ({ workflowId, name }));
}

export async function reloadWorkflows(
  api: N8nApi,
  workflows: ReadonlyArray<{ workflowId: string; name: string }>,
): Promise<ReloadResult[]> {
  const results: ReloadResult[] = [];
  // One at a time: activation registers webhooks; parallel activations race on n8n's side.
  for (const { workflowId, name } of workflows) {
    try {
      await call(api, `/api/v1/workflows/${encodeURIComponent(workflowId)}/deactivate`);
      await call(api, `/api/v1/workflows/${encodeURIComponent(workflowId)}/activate`);
      results.push({ workflowId, name, ok: true });
    } catch (error) {
      results.push({ workflowId, name, ok: false, error: (error as Error).message });
    }
  }
  return results;
}

async function call(api: N8nApi, path: string): Promise<void> {
  const url = new URL(path, api.url.endsWith("/") ? api.url : `${api.url}/`);
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "X-N8N-API-KEY": api.apiKey, accept: "application/json" },
      signal: AbortSignal.timeout(api.timeoutMs ?? 15_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new Error(`n8n API at ${url.origin} did not answer (${cause}): check N8N_API_URL`);
  }
  if (!response.ok) {
    const body = (await response.text().catch(() => "")).slice(0, 200).replace(/\s+/g, " ");
    const hint = response.status === 401 ? ": check N8N_API_KEY" : "";
    throw new Error(`POST ${url.pathname} answered ${response.status}${body ? ` ${body}` : ""}${hint}`);
  }
}
