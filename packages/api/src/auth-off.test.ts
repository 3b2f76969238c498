import { describe, expect, it } from "vitest";
import { assertAuthOffAllowed, isLoopbackHost } from "./auth-off";
import { readApiEnv } from "./env";

describe("FINETRACK_AUTH=off", () => {
  it("knows loopback hosts", () => {
    expect(["127.0.0.1", "localhost", "::1", "[::1]", "127.1.2.3"].every(isLoopbackHost)).toBe(true);
    expect(["0.0.0.0", "::", "192.168.1.4", "example.com", "127.0.0.1.example.com"].some(isLoopbackHost)).toBe(false);
  });

  it("refuses a non-loopback host unless FINETRACK_AUTH_OFF_ALLOW_REMOTE=1", () => {
    const off = readApiEnv({ FINETRACK_AUTH: "off" });
    expect(() => assertAuthOffAllowed("0.0.0.0", off)).toThrow(/FINETRACK_AUTH_OFF_ALLOW_REMOTE=1/);
    expect(() => assertAuthOffAllowed("127.0.0.1", off)).not.toThrow();
    expect(() => assertAuthOffAllowed("0.0.0.0", readApiEnv({ FINETRACK_AUTH: "off", FINETRACK_AUTH_OFF_ALLOW_REMOTE: "1" }))).not.toThrow();
    expect(() => assertAuthOffAllowed("0.0.0.0", readApiEnv({}))).not.toThrow();
    expect(() => readApiEnv({ FINETRACK_AUTH_OFF_ALLOW_REMOTE: "yes" })).toThrow(/must be '0' or '1'/);
  });
});
