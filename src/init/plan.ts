// Pure: what init does to each file, given what is there. A file that is missing is created, one that
// already says the same is left as it is, and one that differs is kept (said so) unless --force.
import type { WrittenFile } from "./templates.ts";

export type ChangeKind = "create" | "update" | "unchanged" | "kept";

export interface Change extends WrittenFile {
  kind: ChangeKind;
  /** what changes or why a file was kept, one line each */
  detail: string[];
}

export function planFile(desired: WrittenFile, existing: string | undefined, force: boolean): Change {
  if (existing === undefined) return { ...desired, kind: "create", detail: [] };
  if (existing === desired.content) return { ...desired, kind: "unchanged", detail: [] };
  if (force) return { ...desired, kind: "update", detail: ["replaced (--force)"] };
  return { ...desired, kind: "kept", detail: ["differs from what init writes; --force replaces it"] };
}

export const LOCAL_ENV_PATTERN = ".env*.local";

/** .gitignore with `.env*.local` (the files that hold real connection strings) added once. */
export function planGitignore(existing: string | undefined): Change {
  const lines = existing?.split(/\r?\n/) ?? [];
  if (lines.some((line) => line.trim() === LOCAL_ENV_PATTERN)) return { path: ".gitignore", content: existing!, kind: "unchanged", detail: [] };
  const base = existing === undefined || existing === "" || existing.endsWith("\n") ? (existing ?? "") : `${existing}\n`;
  return { path: ".gitignore", content: `${base}${LOCAL_ENV_PATTERN}\n`, kind: existing === undefined ? "create" : "update", detail: [`added ${LOCAL_ENV_PATTERN}`] };
}

/** package.json text with new scripts, keeping its indentation and final newline. */
export function withScripts(text: string, scripts: Record<string, string>): string {
  const indent = /^\{\r?\n([ \t]+)"/.exec(text)?.[1] ?? "  ";
  const json = JSON.parse(text) as Record<string, unknown>;
  return `${JSON.stringify({ ...json, scripts }, null, indent)}${text.endsWith("\n") ? "\n" : ""}`;
}
