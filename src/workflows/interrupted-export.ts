// Pure: what export and export-prod say when the database connection is lost mid-run. Each file is
// written whole or not at all (writeAtomically), and a rerun skips versions that already have a file,
// so the message names what is missing and says that a rerun completes the set.
export function exportInterruptedMessage(reason: string, written: number, missing: ReadonlyArray<{ id: string; name: string }>): string {
  const first = missing[0];
  const notWritten = first
    ? `nothing was written for workflow ${first.id} ("${first.name}")${missing.length > 1 ? ` and ${missing.length - 1} more` : ""}`
    : "nothing more was to be written";
  return `the database connection was lost during the export (${reason}): ${written} file(s) written whole, ${notWritten}; rerun (it skips what was written)`;
}
