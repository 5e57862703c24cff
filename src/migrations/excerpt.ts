// Pure: bounded quotes of a failing migration for the error output. A truncated 50 MB file makes
// PostgreSQL's message quote everything from the unterminated token on ("unterminated dollar-quoted
// string at or near ..."), and its one line can be the whole file: every quote is cut to a window.

/** Characters of PostgreSQL's message, DETAIL or CONTEXT kept. */
export const MESSAGE_CHARS = 400;
/** Characters of the source line kept around the error position. */
export const LINE_WINDOW = 160;

/** The text, cut after `max` characters with a note of how much was left out. */
export function boundText(text: string, max = MESSAGE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length - max} more characters)`;
}

/** A window of the line around a 1-based column, and the column within the window. */
export function lineWindow(line: string, column: number | undefined): { text: string; column: number | undefined } {
  if (line.length <= LINE_WINDOW) return { text: line, column };
  const at = Math.min(Math.max((column ?? 1) - 1, 0), line.length);
  const start = Math.max(0, Math.min(at - LINE_WINDOW / 2, line.length - LINE_WINDOW));
  const prefix = start > 0 ? "..." : "";
  const end = start + LINE_WINDOW;
  return {
    text: `${prefix}${line.slice(start, end)}${end < line.length ? "..." : ""}`,
    column: column === undefined ? undefined : at - start + prefix.length + 1,
  };
}
