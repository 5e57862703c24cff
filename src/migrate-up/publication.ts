// After a run: did each workflow a file published go live in n8n? On n8n 2.3x+ the files queued n8n's own
// publication (workflow_publication_outbox) in their transactions; here migrate-up waits, bounded by
// --wait-live, for n8n's outcome, and puts the previously published version back when n8n refuses the new
// one (n8n has already taken the old triggers down by then: without this the workflow would be offline).
// The new version stays the workflow's current version, so a person can fix it in the editor.
// n8n 1.x (and 2.x before the outbox) has no outcome to read: the reload through n8n's API (N8N_API_URL +
// N8N_API_KEY) is the check where it is configured; else the publish is "not verified".
import { withClient } from "../db/db.ts";
import {
  hasPublicationOutbox,
  othersConnected,
  readPublicationOutcome,
  restorePublishedVersion,
  type PublicationError,
  type PublicationOutcome,
  type PublicationStatus,
} from "../n8n/publication.ts";
import { reloadWorkflows, workflowsToReload, type N8nApi, type ReloadResult } from "../n8n/reload.ts";
import type { WorkflowReport } from "../workflows/report.ts";

export interface PublicationOptions {
  databaseUrl: string;
  schema: string;
  /** wait this long for n8n's outcomes; undefined or 0: do not wait (say queued) */
  waitLiveMs?: number | undefined;
  /** n8n's public API, to reload what n8n cannot publish by itself (1.x); undefined: not verified */
  api?: N8nApi | undefined;
  /** between two reads of the outbox */
  pollMs?: number;
}

export interface Publication {
  workflowId: string;
  name: string;
  /** the version the run published */
  versionId: string;
  /** not-verified: n8n 1.x without N8N_API_URL + N8N_API_KEY (runs it after n8n restarts) */
  publication: { status: PublicationStatus | "not-verified"; errors: PublicationError[] };
  /** pending only: why the outcome is not known yet */
  pending?: "not-waited" | "n8n-not-running" | "timed-out";
  /** failed only: the previously published version put back, and n8n's outcome of it */
  restored?: { versionId: string; status: PublicationStatus; errors: PublicationError[] };
  /** n8n 1.x: published by a reload through n8n's API */
  reloaded?: boolean;
}

const POLL_MS = 500;

/** The publications the run's files queued in n8n's outbox, newest per workflow. */
export function queuedPublications(reports: readonly WorkflowReport[]): WorkflowReport[] {
  const byId = new Map<string, WorkflowReport>();
  for (const report of reports) {
    if (!report.publicationQueued) continue;
    if (report.publishedVersionId) byId.set(report.workflowId, report);
    else byId.delete(report.workflowId); // archived by a later file: an unpublish, nothing to go live
  }
  return [...byId.values()];
}

/** Whether any publication ended refused (migrate-up --fail-on-publish-error exits 3 on it). */
export function publishRefused(publications: readonly Publication[]): boolean {
  return publications.some((p) => p.publication.status === "failed");
}

/**
 * Every publication of the run, with n8n's outcome where it tells one: the outbox's (waited for with
 * `waitLiveMs`, refused ones put back), else the API reload's answer, else not verified.
 */
export async function settlePublications(reports: readonly WorkflowReport[], options: PublicationOptions): Promise<Publication[]> {
  const queued = await waitForOutbox(queuedPublications(reports), options);
  const unqueued = reports.filter((report) => !report.publicationQueued && report.reloadNeeded);
  const reloads: ReloadResult[] = options.api ? await reloadWorkflows(options.api, workflowsToReload(unqueued)) : [];
  const byId = new Map(unqueued.map((report) => [report.workflowId, report]));
  const reloaded = reloads.map((reload): Publication => ({
    ...identity(byId.get(reload.workflowId)!),
    publication: reload.ok ? { status: "live", errors: [] } : { status: "failed", errors: [{ node: null, message: reload.error ?? "failed" }] },
    reloaded: true,
  }));
  const unverified = options.api
    ? []
    : workflowsToReload(unqueued)
        // null: archived (an unpublish); undefined: a file written before reports said
        .filter(({ workflowId }) => byId.get(workflowId)!.publishedVersionId !== null)
        .map(({ workflowId }): Publication => ({ ...identity(byId.get(workflowId)!), publication: { status: "not-verified", errors: [] } }));
  return [...queued, ...reloaded, ...unverified];
}

function identity(report: WorkflowReport): Pick<Publication, "workflowId" | "name" | "versionId"> {
  return { workflowId: report.workflowId, name: report.name, versionId: report.publishedVersionId ?? report.incomingVersionId };
}

async function waitForOutbox(queued: readonly WorkflowReport[], options: PublicationOptions): Promise<Publication[]> {
  const waitLiveMs = options.waitLiveMs ?? 0;
  const publication = (report: WorkflowReport, outcome: PublicationOutcome): Publication => ({
    ...identity(report),
    publication: { status: outcome.status, errors: outcome.errors },
  });
  if (queued.length === 0) return [];
  if (waitLiveMs <= 0) return queued.map((report) => ({ ...publication(report, PENDING), pending: "not-waited" }));
  return withClient(
    options.databaseUrl,
    async (client) => {
      if (!(await hasPublicationOutbox(client, options.schema))) return [];
      if (!(await othersConnected(client))) return queued.map((report) => ({ ...publication(report, PENDING), pending: "n8n-not-running" }));
      const poll = options.pollMs ?? POLL_MS;
      const settle = (workflowId: string, versionId: string, until: number) =>
        waitFor(() => readPublicationOutcome(client, options.schema, workflowId, versionId), until, poll);
      const deadline = Date.now() + waitLiveMs;
      const results: Publication[] = [];
      // One at a time: n8n processes a workflow's rows in order, and most runs publish one or two.
      for (const report of queued) {
        const result = publication(report, await settle(report.workflowId, report.publishedVersionId!, deadline));
        if (result.publication.status === "pending") result.pending = "timed-out";
        const previous = report.previousPublishedVersionId;
        if (result.publication.status === "failed" && previous && previous !== result.versionId) {
          if (await restorePublishedVersion(client, options.schema, report.workflowId, result.versionId, previous)) {
            // The restore gets a wait of its own: the old version is offline until n8n publishes it again.
            const outcome = await settle(report.workflowId, previous, Date.now() + waitLiveMs);
            result.restored = { versionId: previous, status: outcome.status, errors: outcome.errors };
          }
        }
        results.push(result);
      }
      return results;
    },
    { applicationName: "n8n-sync migrate-up" },
  );
}

const PENDING: PublicationOutcome = { status: "pending", claimed: false, errors: [] };

async function waitFor(read: () => Promise<PublicationOutcome>, deadline: number, pollMs: number): Promise<PublicationOutcome> {
  for (;;) {
    const outcome = await read();
    if (outcome.status !== "pending" || Date.now() >= deadline) return outcome;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
  }
}
