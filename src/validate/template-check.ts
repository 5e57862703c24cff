// Pure: is a workflow migration's code exactly code n8n-sync writes? Everything but the data values
// must be the skeleton (template-skeleton.ts) of the current apply template or of a released one
// (released-templates.ts). The current one is rendered here, from the template this build embeds, so a
// change to apply-workflow.sql or to the constants render.ts writes needs no edit in validate.
import { renderWorkflowMigration } from "../workflows/render.ts";
import { RELEASED_TEMPLATES } from "./released-templates.ts";
import { lineHash, quoteExcerpt, skeletonDigest, TAG_MARKER, templateSkeleton, type SkeletonLine } from "./template-skeleton.ts";

export interface TemplateProblem {
  line: number;
  message: string;
}

interface KnownTemplate {
  name: string;
  digest: string;
  /** 8 hex characters per skeleton line */
  hashes: string[];
  /** the lines themselves (the current template only) */
  texts?: string[];
}

let current: KnownTemplate | undefined;

/** The current template's skeleton, from a sample file rendered with this build's code. */
export function currentTemplate(): KnownTemplate {
  if (current) return current;
  const sample = renderWorkflowMigration(
    {
      id: "sample0000000001",
      name: "sample",
      versionId: "00000000-0000-4000-8000-000000000000",
      createdAt: "2025-01-01T00:00:00.000Z",
      updatedAt: "2025-01-01T00:00:00.000Z",
      active: false,
      isArchived: false,
      description: null,
      nodes: [],
      connections: {},
      settings: {},
      meta: null,
      tags: [],
      credentials: [],
    },
    { migration: "20250101000000_sample.sql", source: "dev", n8n: "2.x (schema public)", generatedBy: "n8n-sync" },
  );
  const { lines } = templateSkeleton(sample);
  current = { name: "the current n8n-sync apply template", digest: skeletonDigest(lines), hashes: lines.map((l) => lineHash(l.text)), texts: lines.map((l) => l.text) };
  return current;
}

function knownTemplates(): KnownTemplate[] {
  return [
    currentTemplate(),
    ...RELEASED_TEMPLATES.map((t) => ({ name: `n8n-sync ${t.version}'s apply template`, digest: t.digest, hashes: t.lines.match(/.{8}/g) ?? [] })),
  ];
}

/** Problems when the file's code is not a known template's; [] when it is. */
export function templateProblems(sql: string): TemplateProblem[] {
  const skeleton = templateSkeleton(sql);
  const problems: TemplateProblem[] = [...skeleton.headerProblems];
  const digest = skeletonDigest(skeleton.lines);
  const known = knownTemplates();
  if (known.some((t) => t.digest === digest)) return problems;
  // Say where it differs from the closest one: the lines between the longest common start and end.
  const fileHashes = skeleton.lines.map((l) => lineHash(l.text));
  const ranked = known.map((t) => ({ template: t, ...differingRange(fileHashes, t.hashes) })).sort((a, b) => b.same - a.same);
  const best = ranked[0]!;
  problems.push({ line: lineOfDifference(skeleton.lines, best.from), message: describeDifference(sql, skeleton.lines, best) });
  return problems;
}

function differingRange(file: readonly string[], template: readonly string[]): { from: number; fileTo: number; templateTo: number; same: number } {
  let from = 0;
  while (from < file.length && from < template.length && file[from] === template[from]) from++;
  let back = 0;
  while (back < file.length - from && back < template.length - from && file[file.length - 1 - back] === template[template.length - 1 - back]) back++;
  return { from, fileTo: file.length - back, templateTo: template.length - back, same: from + back };
}

function lineOfDifference(lines: readonly SkeletonLine[], index: number): number {
  return (lines[index] ?? lines.at(-1))?.line ?? 1;
}

function describeDifference(
  sql: string,
  lines: readonly SkeletonLine[],
  diff: { template: KnownTemplate; from: number; fileTo: number; templateTo: number },
): string {
  const { template, from, fileTo, templateTo } = diff;
  const added = fileTo - from;
  const removed = templateTo - from;
  const fileLine = (index: number) => quoteExcerpt(sql.split("\n")[lines[index]!.line - 1]!.replace(/\r$/, ""));
  const expected = template.texts && removed > 0 ? `; the template has ${quoteExcerpt(template.texts[from]!.replaceAll(TAG_MARKER, "$n8n_sync$"))}` : "";
  const what =
    added === 0
      ? `${removed} line${removed === 1 ? "" : "s"} of ${template.name} missing here${expected}`
      : removed === 0
        ? `${added} line${added === 1 ? "" : "s"} added to ${template.name}, starting ${fileLine(from)}`
        : `differs from ${template.name}: ${fileLine(from)}${expected}${added > 1 || removed > 1 ? ` (${added} line(s) here for ${removed} of the template)` : ""}`;
  return `not code n8n-sync writes: ${what}. Outside the data values a workflow migration must be exactly what n8n-sync renders: export the workflow again instead of editing the file`;
}
