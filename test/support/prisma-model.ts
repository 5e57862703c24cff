// Reads prisma/schema.prisma into plain data (table, column, Prisma type, native type) so tests can
// compare the model with information_schema of a real n8n database.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface ModelColumn {
  table: string;
  column: string;
  prismaType: string;
  nativeType: string | undefined;
  optional: boolean;
  /** documented with `/// 2.x only` (the field, or the whole model) */
  onlyIn2x: boolean;
}

const SCHEMA_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "prisma", "schema.prisma");

export function readModelColumns(): ModelColumn[] {
  const text = readFileSync(SCHEMA_FILE, "utf8");
  const columns: ModelColumn[] = [];
  const modelRe = /((?:\/\/\/[^\n]*\n)*)model (\w+) \{([\s\S]*?)\n\}/g;
  for (const [, docs = "", , body = ""] of text.matchAll(modelRe)) {
    const table = /@@map\("([^"]+)"\)/.exec(body)?.[1];
    if (!table) continue;
    const modelOnly2x = docs.includes("2.x only");
    let pendingDoc = "";
    for (const raw of body.split("\n")) {
      const line = raw.trim();
      if (line.startsWith("///")) {
        pendingDoc += line;
        continue;
      }
      const field = /^(\w+)\s+(\w+)(\?)?(.*)$/.exec(line);
      if (!field || line.startsWith("@@")) {
        pendingDoc = "";
        continue;
      }
      const [, name = "", prismaType = "", optional, rest = ""] = field;
      columns.push({
        table,
        column: /@map\("([^"]+)"\)/.exec(rest)?.[1] ?? name,
        prismaType,
        nativeType: /@db\.(\w+(?:\(\d+\))?)/.exec(rest)?.[1],
        optional: optional === "?",
        onlyIn2x: modelOnly2x || pendingDoc.includes("2.x only"),
      });
      pendingDoc = "";
    }
  }
  return columns;
}
