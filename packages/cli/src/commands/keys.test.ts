import { init } from "@finetrack/sdk";
import { startTestServer, type TestServer } from "@finetrack/sdk/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../test/run-cli";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe("finetrack keys", () => {
  it("creates a key that works, lists it, revokes it, and a revoked key no longer works", async () => {
    const auth = ["--url", server.url, "--api-key", server.apiKey];
    const created = await runCli(["keys", "create", "--name", "ci runner", "--scopes", "read,write", "--json", ...auth]);
    expect(created.stderr).toBe("");
    const key = JSON.parse(created.stdout) as { id: string; prefix: string; secret: string; scopes: string[] };
    expect(key.scopes).toEqual(["read", "write"]);

    const run = await init({ project: server.project, url: server.url, apiKey: key.secret, home: server.home, quiet: true });
    run.log({ loss: 1 }, { step: 0 });
    await run.finish();

    const listed = await runCli(["keys", "list", ...auth]);
    expect(listed.stdout).toMatch(new RegExp(`${key.id}\\s+${key.prefix}\\s+ci runner\\s+read,write`));
    expect(listed.stdout.split("\n")[0]).toMatch(/^id\s+prefix\s+name\s+scopes\s+created\s+last used\s+revoked$/);

    const revoked = await runCli(["keys", "revoke", key.id, ...auth]);
    expect(revoked.stdout).toContain(`revoked key ${key.id}`);
    const after = JSON.parse((await runCli(["keys", "list", "--json", ...auth])).stdout) as Array<{ id: string; revokedAt: string | null }>;
    expect(after.find((k) => k.id === key.id)?.revokedAt).toBeTruthy();
    await expect(init({ project: server.project, url: server.url, apiKey: key.secret, home: server.home, quiet: true })).rejects.toThrow(/UNAUTHORIZED/);
  });

  it("explains bad scopes and a missing admin scope", async () => {
    const bad = await runCli(["keys", "create", "--name", "x", "--scopes", "write,root", "--url", server.url, "--api-key", server.apiKey]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--scopes: 'root' is not one of read, write, admin");

    const writer = JSON.parse((await runCli(["keys", "create", "--name", "writer", "--json", "--url", server.url, "--api-key", server.apiKey])).stdout) as { secret: string };
    const denied = await runCli(["keys", "list", "--url", server.url, "--api-key", writer.secret]);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/admin/);
  });
});
