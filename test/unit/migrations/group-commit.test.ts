import { describe, expect, it } from "vitest";
import { createGroupCommit, DURABLE_EVERY_MS } from "../../../src/migrations/group-commit.ts";

describe("group commit", () => {
  it("holds files committed asynchronously and releases them with the next synchronous commit", () => {
    let now = 0;
    const group = createGroupCommit<string>(() => now);
    expect(group.commitSetting(false)).toEqual({ synchronous_commit: "off" });
    expect(group.committed("a")).toEqual([]);
    now += DURABLE_EVERY_MS - 1;
    expect(group.commitSetting(false)).toEqual({ synchronous_commit: "off" });
    expect(group.committed("b")).toEqual([]);
    // the last durable point is old enough: this commit waits for the flush, and makes a and b durable too
    now += 1;
    expect(group.commitSetting(false)).toEqual({ synchronous_commit: "on" });
    expect(group.committed("c")).toEqual(["a", "b", "c"]);
    expect(group.commitSetting(false)).toEqual({ synchronous_commit: "off" });
    expect(group.committed("d")).toEqual([]);
    // the run's last file always commits synchronously
    expect(group.commitSetting(true)).toEqual({ synchronous_commit: "on" });
    expect(group.committed("e")).toEqual(["d", "e"]);
  });
});
