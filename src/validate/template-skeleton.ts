// Pure: a workflow migration with its data taken out, so validate can prove the rest is n8n-sync's code.
// A file is the header (comment lines), then apply-workflow.sql as render.ts fills it: one DO statement
// whose dollar tag was chosen per file and whose DECLARE block starts with the data section, the
// `in_<name> constant <type> := <value>;` lines render.ts writes. The skeleton keeps every line of the
// statement as it is, except that the body's tag becomes one marker and each data value that parses as
// a harmless literal becomes a placeholder of its kind. Two files have the same skeleton exactly when
// their code is the same; only the values differ. A value that does not parse as a literal (or holds
// the body's tag, which would end the DO statement early) is left in as raw text, so it never matches.
import { createHash } from "node:crypto";

export interface SkeletonLine {
  /** the line, normalised (tag marker, value placeholders) */
  text: string;
  /** 1-based line of the file where it starts */
  line: number;
}

export interface Skeleton {
  lines: SkeletonLine[];
  /** header lines that are not plain comments: code before the DO statement */
  headerProblems: Array<{ line: number; message: string }>;
}

/** Where the body's dollar tag stood; not a character a file can hold in PostgreSQL text. */
export const TAG_MARKER = "\u0000tag\u0000";

const DO_LINE = /^DO (\$[A-Za-z_][A-Za-z0-9_]*\$)$/m;
const DECLARATION_HEAD = /( {2}in_[a-z0-9_]+ +constant [a-z]+ +:= )/y;
// A standard string without backslashes reads the same whatever standard_conforming_strings says.
const STRING = /'(?:[^'\\\n]|'')*'/y;
const WORD = /(?:true|false|NULL|-?\d+(?:\.\d+)?)(?![A-Za-z0-9_])/y;
const DOLLAR_TAG = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/y;
// What may follow a value: casts and operators with plain literals (`::json #>> '{}'`), kept verbatim.
const SUFFIX = /(?: *(?:::[a-z]+|#>>|->>?|'[^'\\\n]*'))*/y;
// A `--` comment ends at CR as well as LF in PostgreSQL: a CR would start code the line seems to hide.
const END_OF_DECLARATION = /;(?: +--[^\r\n]*)?(?:\n|$)/y;

export function templateSkeleton(sql: string): Skeleton {
  // CRLF checkouts (git autocrlf) end every line in CR LF: the same code, the same line numbers.
  const text = sql.replace(/\r\n/g, "\n");
  const lines: SkeletonLine[] = [];
  const headerProblems: Skeleton["headerProblems"] = [];
  const headerEnd = text.indexOf("\n\n");
  const header = headerEnd === -1 ? [] : text.slice(0, headerEnd).split("\n");
  header.forEach((line, i) => {
    if (!/^--[^\r]*$/.test(line)) headerProblems.push({ line: i + 1, message: `the header holds code, not a comment: ${quoteExcerpt(line)}` });
  });
  const start = headerEnd === -1 ? 0 : headerEnd + 2;
  let lineNo = header.length + (headerEnd === -1 ? 1 : 2);
  const pushRaw = (from: number, to: number, tag: string | undefined) => {
    for (const line of text.slice(from, to).split("\n")) {
      lines.push({ text: tag ? line.replaceAll(tag, TAG_MARKER) : line, line: lineNo++ });
    }
  };

  const doMatch = DO_LINE.exec(text.slice(start));
  const tag = doMatch?.[1];
  const declare = doMatch ? text.indexOf("\nDECLARE\n", start + doMatch.index) : -1;
  if (!tag || declare === -1) {
    pushRaw(start, text.length, tag);
    return { lines, headerProblems };
  }
  // The statement up to DECLARE, then the data section (up to its first blank line), then the rest.
  const dataStart = declare + "\nDECLARE\n".length;
  pushRaw(start, dataStart - 1, tag);
  let at = dataStart;
  while (at < text.length && text[at] !== "\n") {
    const parsed = declaration(text, at, tag);
    if (parsed) {
      lines.push({ text: parsed.text, line: lineNo });
      lineNo += countNewlines(text, at, parsed.end - 1);
      at = parsed.end;
    } else {
      // A comment line or anything else: kept as is (the template's comments match, code does not).
      const end = text.indexOf("\n", at);
      const lineEnd = end === -1 ? text.length : end;
      lines.push({ text: text.slice(at, lineEnd), line: lineNo++ });
      at = lineEnd + 1;
    }
  }
  if (at < text.length) pushRaw(at, text.length, tag);
  return { lines, headerProblems };
}

/** One `in_<name> constant <type> := <literal>;` line (or lines, for a dollar-quoted value). */
function declaration(text: string, at: number, bodyTag: string): { text: string; end: number } | undefined {
  const head = sticky(DECLARATION_HEAD, text, at);
  if (!head) return undefined;
  let pos = at + head.length;
  let placeholder: string;
  const string = sticky(STRING, text, pos);
  const word = string ? undefined : sticky(WORD, text, pos);
  const dollar = string || word ? undefined : sticky(DOLLAR_TAG, text, pos);
  if (string) {
    placeholder = "'<string>'";
    pos += string.length;
  } else if (word) {
    placeholder = word === "true" || word === "false" ? "<boolean>" : word === "NULL" ? "<value>" : "<number>";
    pos += word.length;
  } else if (dollar && dollar !== bodyTag) {
    const close = text.indexOf(dollar, pos + dollar.length);
    if (close === -1 || text.slice(pos, close).includes(bodyTag)) return undefined;
    placeholder = "<value>";
    pos = close + dollar.length;
  } else {
    return undefined;
  }
  const suffix = sticky(SUFFIX, text, pos) ?? "";
  pos += suffix.length;
  const end = sticky(END_OF_DECLARATION, text, pos);
  if (end === undefined || end.includes(bodyTag)) return undefined;
  return { text: `${head}${placeholder}${suffix};`, end: pos + end.length };
}

function sticky(pattern: RegExp, text: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(text)?.[0];
}

function countNewlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let nl = text.indexOf("\n", from); nl !== -1 && nl <= to; nl = text.indexOf("\n", nl + 1)) count++;
  return count;
}

/** sha256 of the skeleton's lines: the same for every file of one template. */
export function skeletonDigest(lines: readonly SkeletonLine[]): string {
  return createHash("sha256").update(lines.map((l) => l.text).join("\n")).digest("hex");
}

/** A short hash per line, for saying where a file differs from a released template kept only as hashes. */
export function lineHashes(lines: readonly SkeletonLine[]): string {
  return lines.map((l) => lineHash(l.text)).join("");
}

export function lineHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

/** A line of a file quoted in a message: bounded, control characters escaped. */
export function quoteExcerpt(line: string, max = 100): string {
  const cut = line.length > max ? `${line.slice(0, max)}...` : line;
  return JSON.stringify(cut);
}
