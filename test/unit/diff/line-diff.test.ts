import { describe, expect, it } from "vitest";
import { lineDiff } from "../../../src/diff/line-diff.ts";

describe("lineDiff", () => {
  it("removed before added, two lines of context, the rest counted", () => {
    const before = ["a", "b", "c", "d", "e", "f", "g", "h", "i"].join("\n");
    const after = ["a", "b", "c", "d", "E", "f", "g", "h", "i", "j"].join("\n");
    expect(lineDiff(before, after)).toEqual([
      { op: "…", text: "2 unchanged lines" },
      { op: " ", text: "c" },
      { op: " ", text: "d" },
      { op: "-", text: "e" },
      { op: "+", text: "E" },
      { op: " ", text: "f" },
      { op: " ", text: "g" },
      { op: " ", text: "h" },
      { op: " ", text: "i" },
      { op: "+", text: "j" },
    ]);
  });

  it("aligns moved blocks on common lines; CRLF is the same line", () => {
    const diff = lineDiff("x\r\none\ntwo\nthree", "one\ntwo\ninserted\nthree");
    expect(diff.filter((l) => l.op !== " ")).toEqual([
      { op: "-", text: "x" },
      { op: "+", text: "inserted" },
    ]);
  });

  it("a huge rewrite stays fast: removed then added", () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join("\n");
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join("\n");
    const diff = lineDiff(a, b);
    expect(diff).toHaveLength(6000);
    expect(diff[0]).toEqual({ op: "-", text: "a0" });
    expect(diff[3000]).toEqual({ op: "+", text: "b0" });
  });
});
