// validate's check of the environment values file (supabase/n8n-values.json): a file that could replace
// the wrong text, or that carries a secret into Git, is refused before it is merged.
import { readFile } from "node:fs/promises";
import { scanText } from "../secrets/text.ts";
import { MIN_VALUE_LENGTH, parseValuesTable, type ValuesTable } from "../workflows/environment-values.ts";
import { lineAt } from "./problem.ts";

/** The file's problems with the line of the entry each is about (none when there is no file). */
export async function valuesFileProblems(file: string): Promise<Array<{ line: number; message: string }>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    return [{ line: 1, message: `cannot read the values file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` }];
  }
  let table: ValuesTable;
  try {
    table = parseValuesTable(text, "the values file");
  } catch (error) {
    return [{ line: 1, message: (error as Error).message }];
  }
  return valuesTableProblems(table).map((message) => {
    const at = text.indexOf(`"${message.split(".")[0]}"`);
    return { line: at < 0 ? 1 : lineAt(text, at), message };
  });
}

/**
 * What makes a table ambiguous, one line each: a value too short, a value inside another value of the
 * same environment (which one would a parameter hold?), a secret-shaped value (secrets belong in n8n
 * credentials, which already travel by name), a value with a line break or a `{{` (never a parameter's
 * literal text).
 */
export function valuesTableProblems(table: ValuesTable): string[] {
  const problems: string[] = [];
  const byEnvironment = new Map<string, Array<{ name: string; value: string }>>();
  for (const entry of table) {
    for (const [env, value] of Object.entries(entry.values)) {
      const where = `${entry.name}.${env}`;
      if (value.length < MIN_VALUE_LENGTH) {
        problems.push(`${where} is shorter than ${MIN_VALUE_LENGTH} characters: it would match parameters by accident; use a longer, distinctive value`);
        continue;
      }
      if (/[\r\n]|\{\{|\}\}/.test(value)) problems.push(`${where} holds a line break or {{ }}: a value is one literal text`);
      const secrets = scanText(entry.name, value);
      if (secrets.length > 0) {
        problems.push(`${where} looks like a secret (${secrets[0]!.kind}): keep secrets in n8n credentials, not in the values file`);
      }
      const list = byEnvironment.get(env) ?? [];
      list.push({ name: entry.name, value });
      byEnvironment.set(env, list);
    }
  }
  for (const [env, list] of byEnvironment) {
    list.forEach((a, i) =>
      list.forEach((b, j) => {
        if (i === j || !b.value.includes(a.value)) return;
        if (a.value === b.value && j < i) return; // equal values: said once
        problems.push(
          a.value === b.value
            ? `${a.name}.${env} and ${b.name}.${env} are the same value: a parameter holding it could be either; keep one name`
            : `${a.name}.${env} is inside ${b.name}.${env}: a parameter holding ${b.name} would also match ${a.name}; make them distinct`,
        );
      }),
    );
  }
  return problems;
}

