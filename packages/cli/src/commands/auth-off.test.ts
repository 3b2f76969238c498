import { describe, expect, it } from "vitest";
import { runCli } from "../../test/run-cli";

describe("finetrack server with FINETRACK_AUTH=off", () => {
  it("refuses a non-loopback host before starting anything, naming the flag that allows it", async () => {
    const refused = await runCli(["server", "--host", "0.0.0.0", "--port", "1"], { FINETRACK_AUTH: "off" });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("FINETRACK_AUTH=off on host '0.0.0.0'");
    expect(refused.stderr).toContain("FINETRACK_AUTH_OFF_ALLOW_REMOTE=1");
    expect(refused.stdout).not.toContain("PostgreSQL");
  });
});
