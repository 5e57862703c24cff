import { describe, expect, it } from "vitest";
import { closeMatches } from "../../../src/workflows/close-matches.ts";

describe("closeMatches", () => {
  const names = ["Invoice Reminder", "Invoice Sender", "Slack Alerts", "Agent: Webhook Handler", "Other"];
  it("finds typos, case and punctuation differences and partial names, closest first", () => {
    expect(closeMatches("invoice remindr", names)).toEqual(["Invoice Reminder"]);
    expect(closeMatches("agent webhook handler", names)).toEqual(["Agent: Webhook Handler"]);
    expect(closeMatches("Invoice", names)).toEqual(["Invoice Reminder", "Invoice Sender"]);
    expect(closeMatches("Completely different", names)).toEqual([]);
  });
});
