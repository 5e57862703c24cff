// The statements of a migration file, split the way PostgreSQL's own lexer would see them, with the
// trimming Supabase CLI applies before it stores them in schema_migrations.statements.
//
// Written here rather than taken from npm: dbgate-query-splitter (the best-kept candidate) has no E''
// strings (it splits `E'a\';b'`), no BEGIN ATOMIC bodies for PostgreSQL and no nested comments;
// pgsql-ast-parser and libpg-query parse instead of split (no positions of the original text, megabytes of
// WASM or a full AST for a 20 MB file). Supabase CLI's Go splitter mis-splits E'' strings and is quadratic
// in a token's size. This one is a single linear pass that jumps over quoted text with indexOf / sticky
// regexes, so a 20 MB dollar-quoted body costs about one memchr.
//
// Rules (PostgreSQL 15 scan.l, psqlscan.l): -- line and nested /* */ comments; '...' strings with ''
// (standard_conforming_strings on, the default since 9.1); E'...' strings with backslash escapes;
// "..." identifiers; $tag$...$tag$ (a tag cannot start with a digit, a $ inside an identifier is not one);
// semicolons inside parentheses (CREATE RULE ... DO (a; b)) and inside BEGIN [ATOMIC] ... END of
// CREATE [OR REPLACE] FUNCTION|PROCEDURE (psql's heuristic: BEGIN and, inside it, CASE open, END closes)
// do not end a statement.

export interface Statement {
  /** as Supabase CLI stores it: the token up to its semicolon, trailing semicolons and whitespace removed */
  text: string;
  /** offset in the file of text's first character */
  start: number;
  /** 1-based line and column (UTF-16 units) of start */
  line: number;
  column: number;
  /** the first few words (upper-cased) outside comments and quotes, e.g. ["CREATE", "INDEX", "CONCURRENTLY"] */
  words: string[];
}

const KEPT_WORDS = 8;

export function splitStatements(sql: string): Statement[] {
  const n = sql.length;
  const statements: Statement[] = [];
  let tokenStart = 0;
  let parenDepth = 0;
  let beginDepth = 0;
  let words: string[] = [];
  let routine = false;

  const emit = (end: number) => {
    const text = supabaseTrim(sql, tokenStart, end);
    if (text !== undefined) statements.push({ text: text.text, start: text.start, line: 0, column: 0, words });
    tokenStart = end + 1;
    parenDepth = 0;
    beginDepth = 0;
    words = [];
    routine = false;
  };

  const onWord = (start: number, end: number) => {
    const length = end - start;
    if (words.length < KEPT_WORDS) {
      words.push(sql.slice(start, end).toUpperCase());
      if (words.length === 2 || words.length === 4) routine = isRoutineStart(words);
    }
    if (!routine || parenDepth !== 0 || length < 3 || length > 5) return;
    const word = sql.slice(start, end).toUpperCase();
    if (word === "BEGIN") beginDepth++;
    else if (word === "CASE" && beginDepth > 0) beginDepth++;
    else if (word === "END" && beginDepth > 0) beginDepth--;
  };

  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 0x2d /* - */ && sql.charCodeAt(i + 1) === 0x2d) {
      const newline = sql.indexOf("\n", i + 2);
      i = newline === -1 ? n : newline + 1;
    } else if (c === 0x2f /* / */ && sql.charCodeAt(i + 1) === 0x2a /* * */) {
      i = skipBlockComment(sql, i);
    } else if (c === 0x27 /* ' */) {
      i = skipQuoted(sql, i + 1, 0x27);
    } else if (c === 0x22 /* " */) {
      i = skipQuoted(sql, i + 1, 0x22);
    } else if (c === 0x24 /* $ */) {
      const tagEnd = dollarTagEnd(sql, i);
      if (tagEnd === -1) {
        i++;
      } else {
        const tag = sql.slice(i, tagEnd);
        const close = sql.indexOf(tag, tagEnd);
        i = close === -1 ? n : close + tag.length;
      }
    } else if (c === 0x28 /* ( */) {
      parenDepth++;
      i++;
    } else if (c === 0x29 /* ) */) {
      if (parenDepth > 0) parenDepth--;
      i++;
    } else if (c === 0x3b /* ; */) {
      if (parenDepth === 0 && beginDepth === 0) emit(i);
      i++;
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentCont(sql.charCodeAt(j))) j++;
      if (j === i + 1 && (c === 0x45 || c === 0x65) /* E e */ && sql.charCodeAt(j) === 0x27) {
        i = skipEscapeString(sql, j + 1);
      } else {
        onWord(i, j);
        i = j;
      }
    } else if (c >= 0x30 && c <= 0x39) {
      // A number, including its junk suffix: "1$" must not open a dollar quote.
      let j = i + 1;
      while (j < n && isIdentCont(sql.charCodeAt(j))) j++;
      i = j;
    } else {
      i++;
    }
  }
  if (tokenStart < n) emit(n);
  addLineColumns(sql, statements);
  return statements;
}

function isRoutineStart(words: string[]): boolean {
  if (words[0] !== "CREATE") return false;
  if (words[1] === "FUNCTION" || words[1] === "PROCEDURE") return true;
  return words[1] === "OR" && words[2] === "REPLACE" && (words[3] === "FUNCTION" || words[3] === "PROCEDURE");
}

function isIdentStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 0x80;
}

function isIdentCont(c: number): boolean {
  return isIdentStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x24;
}

/** End (exclusive) of a $tag$ opening at i, or -1 when the $ is a parameter ($1) or stray. */
function dollarTagEnd(sql: string, i: number): number {
  let j = i + 1;
  const first = sql.charCodeAt(j);
  if (first === 0x24) return j + 1;
  if (!(isIdentStart(first))) return -1;
  j++;
  while (j < sql.length) {
    const c = sql.charCodeAt(j);
    if (c === 0x24) return j + 1;
    if (!(isIdentStart(c) || (c >= 0x30 && c <= 0x39))) return -1;
    j++;
  }
  return -1;
}

const BLOCK_COMMENT_MARK = /\/\*|\*\//g;

function skipBlockComment(sql: string, i: number): number {
  let depth = 0;
  BLOCK_COMMENT_MARK.lastIndex = i;
  for (let m = BLOCK_COMMENT_MARK.exec(sql); m; m = BLOCK_COMMENT_MARK.exec(sql)) {
    depth += m[0] === "/*" ? 1 : -1;
    if (depth === 0) return BLOCK_COMMENT_MARK.lastIndex;
  }
  return sql.length;
}

/** Past the closing quote of '...' or "..." whose body starts at i (a doubled quote is part of it). */
function skipQuoted(sql: string, i: number, quote: 0x27 | 0x22): number {
  const q = quote === 0x27 ? "'" : '"';
  let j = i;
  for (;;) {
    const close = sql.indexOf(q, j);
    if (close === -1) return sql.length;
    if (sql.charCodeAt(close + 1) !== quote) return close + 1;
    j = close + 2;
  }
}

const ESCAPE_STRING_MARK = /[\\']/g;

/** Past the closing quote of E'...' whose body starts at i: \x escapes any character, '' is a quote. */
function skipEscapeString(sql: string, i: number): number {
  ESCAPE_STRING_MARK.lastIndex = i;
  for (let m = ESCAPE_STRING_MARK.exec(sql); m; m = ESCAPE_STRING_MARK.exec(sql)) {
    const at = m.index;
    if (m[0] === "\\") {
      ESCAPE_STRING_MARK.lastIndex = at + 2;
    } else if (sql.charCodeAt(at + 1) === 0x27) {
      ESCAPE_STRING_MARK.lastIndex = at + 2;
    } else {
      return at + 1;
    }
  }
  return sql.length;
}

/**
 * Supabase CLI stores strings.TrimSpace(strings.TrimRight(token, ";")) and skips empty ones; token is
 * sql[from, semicolon] including the semicolon. TrimSpace is Go's (unicode.IsSpace), kept exact so both
 * tools store byte-identical statements.
 */
function supabaseTrim(sql: string, from: number, semicolon: number): { text: string; start: number } | undefined {
  let end = Math.min(semicolon + 1, sql.length);
  while (end > from && sql.charCodeAt(end - 1) === 0x3b) end--;
  while (end > from && isGoSpace(sql.charCodeAt(end - 1))) end--;
  let start = from;
  while (start < end && isGoSpace(sql.charCodeAt(start))) start++;
  return start < end ? { text: sql.slice(start, end), start } : undefined;
}

function isGoSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Fills line/column of statements (in file order) with one pass over the newlines. */
function addLineColumns(sql: string, statements: Statement[]): void {
  let line = 1;
  let lineStart = 0;
  let next = sql.indexOf("\n");
  for (const statement of statements) {
    while (next !== -1 && next < statement.start) {
      line++;
      lineStart = next + 1;
      next = sql.indexOf("\n", lineStart);
    }
    statement.line = line;
    statement.column = statement.start - lineStart + 1;
  }
}

/** 1-based line and column of an offset, counting from a known earlier position. */
export function positionAt(
  sql: string,
  offset: number,
  from: { offset: number; line: number; column: number } = { offset: 0, line: 1, column: 1 },
): { line: number; column: number } {
  let line = from.line;
  let lineStart = from.offset - (from.column - 1);
  for (let nl = sql.indexOf("\n", from.offset); nl !== -1 && nl < offset; nl = sql.indexOf("\n", nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The statement (0-based index) holding a file offset: the last one starting at or before it. */
export function statementAt(statements: readonly Statement[], offset: number): number {
  let lo = 0;
  let hi = statements.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (statements[mid]!.start <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/**
 * PostgreSQL reports error positions in characters (code points) from 1; JavaScript strings index UTF-16
 * units. The 0-based string index of a 1-based code point position.
 */
export function codePointPositionToIndex(text: string, position: number): number {
  let index = 0;
  for (let cp = 1; cp < position && index < text.length; cp++) {
    const c = text.charCodeAt(index);
    index += c >= 0xd800 && c <= 0xdbff && index + 1 < text.length ? 2 : 1;
  }
  return index;
}
