// Pure: is a migration's file name what Supabase CLI and the runner expect, with a real timestamp as
// its version, used by no other file of the folder?
import { classifyFileName } from "../migrations/files.ts";

/** Problems of one file name (line 1); folderFiles: every file name in its folder. */
export function fileNameProblems(file: string, folderFiles: readonly string[]): string[] {
  const kind = classifyFileName(file);
  if (kind.kind === "near-miss") return [`file name: ${kind.reason}`];
  if (kind.kind === "ignored") return ['not a migration file name: expected "<14-digit version>_<name>.sql"'];
  const problems: string[] = [];
  if (!isTimestamp(kind.version)) problems.push(`version ${kind.version} is not a UTC timestamp YYYYMMDDHHMMSS`);
  if (kind.name === "") problems.push("the name after the version is empty");
  const others = folderFiles.filter((other) => {
    const otherKind = classifyFileName(other);
    return other !== file && otherKind.kind === "migration" && otherKind.version === kind.version;
  });
  if (others.length > 0) problems.push(`version ${kind.version} is also used by ${others.join(", ")}: give each file its own timestamp`);
  return problems;
}

function isTimestamp(version: string): boolean {
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((at, i) => Number(version.slice(at, i === 0 ? 4 : at + 2)));
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo! - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s
  );
}
