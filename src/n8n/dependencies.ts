// export --with-dependencies: the order files are written in is the order migrate-up applies them, so a
// called workflow must come before its callers (it then exists, with its id, when the caller's file
// checks it). Pure: read.ts finds the calls, this orders them.

/**
 * `ids` reordered so that every id comes after the ids it calls (those in `ids`), otherwise keeping the
 * given order. Calls in a cycle keep the given order among themselves.
 */
export function calleesFirst(ids: readonly string[], calls: ReadonlyMap<string, readonly string[]>): string[] {
  const present = new Set(ids);
  const visited = new Set<string>();
  const ordered: string[] = [];
  const visit = (id: string) => {
    if (visited.has(id)) return;
    visited.add(id);
    for (const callee of calls.get(id) ?? []) if (present.has(callee)) visit(callee);
    ordered.push(id);
  };
  for (const id of ids) visit(id);
  return ordered;
}
