// Files that ship inside the n8n-sync package (n8n-databases/, the GitHub workflow templates): found
// from the running module, which is src/<folder>/ in this repository and dist/ in an installed package.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The absolute path of a file of the package, relative to the package root (the nearest package.json). */
export function packageFile(relative: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find the n8n-sync package around ${fileURLToPath(import.meta.url)}: reinstall it`);
    dir = parent;
  }
  return path.join(dir, relative);
}

/**
 * A page of the docs the package ships (docs/<name>), as a path a person can open from where the command
 * runs: `node_modules/n8n-sync/docs/<name>` in a team's repository, `docs/<name>` in this one.
 */
export function docPath(name: string): string {
  const file = packageFile(path.join("docs", name));
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}
