import { describe, expect, it } from "vitest";
import { calleesFirst } from "../../../src/n8n/dependencies.ts";

describe("calleesFirst", () => {
  it("puts every callee before its callers and otherwise keeps the order", () => {
    const calls = new Map([
      ["parent", ["child", "elsewhere"]],
      ["child", ["grandchild"]],
      ["other", []],
    ]);
    expect(calleesFirst(["parent", "other", "grandchild", "child"], calls)).toEqual(["grandchild", "child", "parent", "other"]);
  });

  it("terminates on cycles and keeps each id once", () => {
    const calls = new Map([
      ["a", ["b"]],
      ["b", ["a"]],
      ["self", ["self"]],
    ]);
    expect(calleesFirst(["a", "b", "self"], calls)).toEqual(["b", "a", "self"]);
  });
});
