// The scanner's thresholds, each held by values just on the no-finding side of it (samples.ts,
// nearMisses; the look-alike corpus holds them too): lowering the token rules' entropy floor, the
// generic floor, or narrowing the exclusion of identifiers made of words reports one of them, and
// export-prod would then block a workflow that holds no secret.
import { describe, expect, it } from "vitest";
import { scanText, shannonEntropy, wordShares } from "../../../src/secrets/text.ts";
import { nearMisses, type Threshold } from "./samples.ts";

/** How close to its threshold a near-miss must sit: the band of the measure it falls in. */
const BANDS: Readonly<Record<Threshold, (value: string) => boolean>> = {
  // rules.ts: every token rule without a floor of its own takes 3 bits per character
  "token-entropy": (v) => between(shannonEntropy(v), 2.9, 3),
  // text.ts looksRandom: 3.5 bits per character, 3 for hex
  "random-entropy": (v) => !/^[0-9a-f]+$/i.test(v) && between(shannonEntropy(v), 3.4, 3.5),
  "hex-entropy": (v) => /^[0-9a-f]+$/i.test(v) && between(shannonEntropy(v), 2.9, 3),
  // text.ts isMadeOfWords: a 0.6 share of words, or 0.85 of words and acronyms; random enough otherwise
  words: (v) => between(wordShares(v).words, 0.6, 0.65) && wordShares(v).wordsOrAcronyms < 0.85 && shannonEntropy(v) >= 3.5,
  "words-or-acronyms": (v) => between(wordShares(v).wordsOrAcronyms, 0.85, 0.9) && wordShares(v).words < 0.6 && shannonEntropy(v) >= 3.5,
};

function between(value: number, from: number, below: number): boolean {
  return value >= from && value < below;
}

describe("near-misses at each threshold", () => {
  const misses = nearMisses();

  it("has at least two per threshold, each just on the no-finding side of it", () => {
    for (const threshold of Object.keys(BANDS) as Threshold[]) {
      expect(misses.filter((m) => m.threshold === threshold).length, threshold).toBeGreaterThanOrEqual(2);
    }
    const outside = misses.filter((m) => !m.text.includes(m.measured) || !BANDS[m.threshold](m.measured));
    expect(outside).toEqual([]);
  });

  for (const miss of misses) {
    it(`${miss.threshold}: no finding in ${miss.field} ${JSON.stringify(miss.text)}`, () => {
      expect(scanText(miss.field, miss.text)).toEqual([]);
    });
  }
});
