// The team's project root, found from wherever a command runs (`cd apps/api && npx n8n-sync status`),
// the way Prisma and the Supabase CLI find theirs: the nearest folder, walking up, whose package.json has
// the n8n: scripts init writes, or whose .env files record a MIGRATIONS_DIR that exists there. The .env
// files and relative paths are read from that folder. Edge: reads the file system.
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** The nearest folder at or above `start` that is an n8n-sync project; `start` itself when none is. */
export function findProjectRoot(start: string): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (hasN8nScripts(dir) || recordsMigrationsDir(dir)) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start);
  }
}

function hasN8nScripts(dir: string): boolean {
  const text = readIfFile(path.join(dir, "package.json"));
  if (text === undefined) return false;
  try {
    const scripts = (JSON.parse(text) as { scripts?: Record<string, unknown> }).scripts ?? {};
    return Object.keys(scripts).some((name) => name.startsWith("n8n:"));
  } catch {
    return false;
  }
}

const ENV_FILES = [".env", ".env.development", ".env.production"];

function recordsMigrationsDir(dir: string): boolean {
  return ENV_FILES.some((file) => {
    const recorded = /^MIGRATIONS_DIR=["']?([^"'\r\n#]+?)["']?\s*$/m.exec(readIfFile(path.join(dir, file)) ?? "")?.[1];
    return recorded !== undefined && !path.isAbsolute(recorded) && isDir(path.join(dir, recorded));
  });
}

function readIfFile(file: string): string | undefined {
  try {
    return statSync(file).isFile() ? readFileSync(file, "utf8") : undefined;
  } catch {
    return undefined;
  }
}

function isDir(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory();
}
