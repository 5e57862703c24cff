// "Did you mean": the known names closest to one that was not found (typos, case, partial names).

/**
 * Up to `max` names, closest first: the same letters and digits ignoring case and punctuation, one
 * containing the other, or a few edits apart.
 */
export function closeMatches(wanted: string, names: Iterable<string>, max = 3): string[] {
  const target = simplify(wanted);
  const scored: Array<{ name: string; score: number }> = [];
  for (const name of new Set(names)) {
    const candidate = simplify(name);
    let score: number;
    if (candidate === target) score = 0;
    else if (candidate.includes(target) || target.includes(candidate)) score = 1;
    else {
      const distance = editDistance(target, candidate);
      if (distance > Math.max(2, Math.floor(target.length / 4))) continue;
      score = 1 + distance;
    }
    scored.push({ name, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((s) => s.name);
}

/** ` (did you mean "a", "b"?)` for the suggestions, or "" when there are none: the one wording every "not found" uses. */
export function didYouMean(suggestions: readonly string[]): string {
  return suggestions.length > 0 ? ` (did you mean ${suggestions.map((name) => JSON.stringify(name)).join(", ")}?)` : "";
}

function simplify(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
