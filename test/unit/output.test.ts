// Human output cannot be steered by the text it prints: control characters become visible escapes.
import { describe, expect, it } from "vitest";
import { oneLine, terminalSafe } from "../../src/output/output.ts";

describe("terminalSafe", () => {
  it("escapes OSC, BEL, CR, erase-line, C1 and bidi overrides; keeps tab and newline", () => {
    expect(terminalSafe("a\x1b]0;title\x07b\rc\x1b[2Kd\x9be\u202ef\tg\nh")).toBe("a\\x1b]0;title\\x07b\\rc\\x1b[2Kd\\x9be\\u202ef\tg\nh");
  });

  it("keeps colour codes only when asked (a terminal with colour), never concealed text", () => {
    expect(terminalSafe("\x1b[1m\x1b[31mCONFLICT\x1b[39m\x1b[22m", true)).toBe("\x1b[1m\x1b[31mCONFLICT\x1b[39m\x1b[22m");
    expect(terminalSafe("\x1b[31mred", false)).toBe("\\x1b[31mred");
    expect(terminalSafe("\x1b[8mhidden", true)).toBe("\\x1b[8mhidden");
  });

  it("oneLine also escapes newlines: a name cannot start a line", () => {
    expect(oneLine("name\nerror: forged\u2028x")).toBe("name\\nerror: forged\\u2028x");
  });
});
