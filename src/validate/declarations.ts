// Pure: the scalar constants a workflow migration declares (render.ts writes
// `  in_<field>  constant <type> := '<string>';` for the migration name, source, ids and timestamps),
// with their lines, so validate can hold them against the header. The JSON values are read by
// workflows/read-migration.ts.

export interface Declaration {
  /** the value of a '...' literal, or the raw text (NULL, true, a dollar-quoted value's tag) */
  value: string;
  line: number;
  offset: number;
}

const DECLARATION = /^ {2}in_([a-z0-9_]+)\s+constant [a-z]+\s+:= ('(?:[^']|'')*'|[^\s;]+)/gm;

/** in_<field> -> its declaration (the first one of each field). */
export function readDeclarations(sql: string): Map<string, Declaration> {
  const found = new Map<string, Declaration>();
  const body = sql.indexOf("\nDECLARE");
  if (body === -1) return found;
  const end = sql.indexOf("\nBEGIN", body);
  const block = sql.slice(0, end === -1 ? sql.length : end);
  let line = 1;
  let counted = 0;
  DECLARATION.lastIndex = body;
  for (let m = DECLARATION.exec(block); m; m = DECLARATION.exec(block)) {
    for (let nl = block.indexOf("\n", counted); nl !== -1 && nl < m.index; nl = block.indexOf("\n", nl + 1)) {
      line++;
      counted = nl + 1;
    }
    const raw = m[2]!;
    if (!found.has(m[1]!)) {
      found.set(m[1]!, { value: raw.startsWith("'") ? raw.slice(1, -1).replace(/''/g, "'") : raw, line, offset: m.index });
    }
  }
  return found;
}
