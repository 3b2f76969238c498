import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { credentialsPath, readCredentials, saveCredentials } from "./credentials";
import { resolveConnection } from "./resolve-connection";

const saved = { ...process.env };
afterEach(() => {
  for (const name of ["FINETRACK_URL", "FINETRACK_API_KEY", "FINETRACK_MODE", "FINETRACK_HOME"]) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
});

describe("resolveConnection", () => {
  it("takes options first, then FINETRACK_* variables, then the credentials file (keyed by server URL)", () => {
    const home = mkdtempSync(join(tmpdir(), "ft-cred-"));
    for (const name of ["FINETRACK_URL", "FINETRACK_API_KEY", "FINETRACK_MODE"]) delete process.env[name];
    saveCredentials(home, "http://localhost:4000/", { apiKey: "ft_local", project: "default" });
    saveCredentials(home, "http://gpu-box:3000", { apiKey: "ft_box" });
    expect(statSync(credentialsPath(home)).mode & 0o777).toBe(0o600);
    // The last saved server is the default.
    expect(resolveConnection({ home })).toEqual({ url: "http://gpu-box:3000", apiKey: "ft_box", mode: "online", home });

    process.env.FINETRACK_URL = "http://localhost:4000/api/trpc";
    expect(resolveConnection({ home })).toMatchObject({ url: "http://localhost:4000", apiKey: "ft_local" });
    process.env.FINETRACK_API_KEY = "ft_env";
    process.env.FINETRACK_MODE = "offline";
    expect(resolveConnection({ home })).toMatchObject({ url: "http://localhost:4000", apiKey: "ft_env", mode: "offline" });
    expect(resolveConnection({ home, url: "http://other:1", apiKey: "ft_opt", mode: "online" })).toMatchObject({ url: "http://other:1", apiKey: "ft_opt", mode: "online" });

    process.env.FINETRACK_HOME = home;
    expect(resolveConnection().home).toBe(home);
    expect(Object.keys(readCredentials(home).servers).sort()).toEqual(["http://gpu-box:3000", "http://localhost:4000"]);
    expect(JSON.parse(readFileSync(credentialsPath(home), "utf8")).default).toBe("http://gpu-box:3000");
  });

  it("names the bad variable", () => {
    process.env.FINETRACK_MODE = "sometimes";
    expect(() => resolveConnection({ home: tmpdir() })).toThrow(/FINETRACK_MODE must be 'online' or 'offline'/);
    process.env.FINETRACK_MODE = "online";
    process.env.FINETRACK_URL = "not a url";
    expect(() => resolveConnection({ home: tmpdir() })).toThrow(/FINETRACK_URL must be a URL/);
  });
});
