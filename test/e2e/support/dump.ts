// A database as a fixture file: `pg_dump --no-owner --no-privileges --inserts`, minus pg_dump's psql-only
// `\restrict` / `\unrestrict` lines, so that the file loads as one multi-statement query through
// node-postgres (n8n-databases/README.md).
import { spawn } from "node:child_process";

export function withoutPsqlMetaCommands(dump: string): string {
  return dump
    .split("\n")
    .filter((line) => !/^\\(un)?restrict\b/.test(line))
    .join("\n");
}

export function dumpDatabase(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("pg_dump", ["--no-owner", "--no-privileges", "--inserts", url], { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", (error) => reject(new Error(`pg_dump could not start (${error.message}): install the PostgreSQL client matching the server`)));
    child.on("close", (code) =>
      code === 0 ? resolve(withoutPsqlMetaCommands(Buffer.concat(out).toString("utf8"))) : reject(new Error(`pg_dump exited ${code}: ${err.trim()}`)),
    );
  });
}
