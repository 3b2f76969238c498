import { describe, expect, it } from "vitest";
import { readApiEnv } from "./env";

describe("API environment", () => {
  it("FINETRACK_CRASH_TIMEOUT_SECONDS is the crash timeout's one name (300 s by default)", () => {
    expect(readApiEnv({}).FINETRACK_CRASH_TIMEOUT_SECONDS).toBe(300);
    expect(readApiEnv({ FINETRACK_CRASH_TIMEOUT_SECONDS: "12" }).FINETRACK_CRASH_TIMEOUT_SECONDS).toBe(12);
    expect(() => readApiEnv({ FINETRACK_CRASH_TIMEOUT_SECONDS: "soon" })).toThrow(/FINETRACK_CRASH_TIMEOUT_SECONDS/);
  });
});
