// Bounded quotes of a failing file: the caret still points at the error inside the window.
import { describe, expect, it } from "vitest";
import { boundText, LINE_WINDOW, lineWindow, MESSAGE_CHARS } from "../../../src/migrations/excerpt.ts";

describe("excerpts", () => {
  it("cut a long line to a window around the column, keeping the caret on the same character", () => {
    const line = `${"a".repeat(5000)}X${"b".repeat(5000)}`;
    const window = lineWindow(line, 5001);
    expect(window.text.length).toBeLessThanOrEqual(LINE_WINDOW + 6);
    expect(window.text[window.column! - 1]).toBe("X");
    expect(lineWindow("short", 3)).toEqual({ text: "short", column: 3 });
    const end = lineWindow(line, line.length);
    expect(end.text[end.column! - 1]).toBe("b");
    expect(end.text.endsWith("b")).toBe(true);
  });

  it("cut a long message and say how much was left out", () => {
    expect(boundText("x".repeat(MESSAGE_CHARS + 10))).toBe(`${"x".repeat(MESSAGE_CHARS)}... (10 more characters)`);
    expect(boundText("short")).toBe("short");
  });
});
