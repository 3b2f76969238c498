import { init } from "@finetrack/sdk";
import { startTestServer, type TestServer } from "@finetrack/sdk/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { CLI_BIN, runCli } from "../../test/run-cli";

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
    expect(listed.stdout.split("\n")[0]).toMatch(/^id\s+prefix\s+name\s+scopes\s+user\s+created\s+last used\s+expires\s+revoked$/);

    const revoked = await runCli(["keys", "revoke", key.id, ...auth]);
    expect(revoked.stdout).toContain(`revoked key ${key.id}`);
    const after = JSON.parse((await runCli(["keys", "list", "--json", ...auth])).stdout) as Array<{ id: string; revokedAt: string | null }>;
    expect(after.find((k) => k.id === key.id)?.revokedAt).toBeTruthy();
    await expect(init({ project: server.project, url: server.url, apiKey: key.secret, home: server.home, quiet: true })).rejects.toThrow(/UNAUTHORIZED/);
  });

  it("explains bad scopes and a scope wider than the key allows", async () => {
    const bad = await runCli(["keys", "create", "--name", "x", "--scopes", "write,root", "--url", server.url, "--api-key", server.apiKey]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--scopes: 'root' is not one of read, write, admin");

    const writer = JSON.parse((await runCli(["keys", "create", "--name", "writer", "--json", "--url", server.url, "--api-key", server.apiKey])).stdout) as { secret: string };
    const denied = await runCli(["keys", "list", "--url", server.url, "--api-key", writer.secret]);
    // A write key may list its own keys, but not mint a wider one.
    expect(denied.code).toBe(0);
    const wider = await runCli(["keys", "create", "--name", "w", "--scopes", "admin", "--url", server.url, "--api-key", writer.secret]);
    expect(wider.code).toBe(1);
    expect(wider.stderr).toMatch(/at most the 'write' scope/);
  });
});

describe("a team from the CLI", () => {
  function withStdin(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI_BIN, ...args], { stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c) => (stdout += c));
      child.stderr.on("data", (c) => (stderr += c));
      child.once("error", reject);
      child.once("exit", (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });
  }

  it("admin creates a user and a project, grants a role; the user mints a key with a password and logs; disabling stops the key", async () => {
    const auth = ["--url", server.url, "--api-key", server.apiKey];
    const created = await runCli(["users", "create", "alice", ...auth]);
    expect(created.stderr).toBe("");
    const password = /one-time password \(shown once; sign in to the dashboard with it\): (\S+)/.exec(created.stdout)![1];
    expect((await runCli(["projects", "create", "nlp-sft", "--name", "NLP SFT", ...auth])).stdout).toContain("created project 'nlp-sft'");
    // The admin key of 'default' mints a key for the admin's other project (the bug in issue 12).
    const adminForNlp = JSON.parse((await runCli(["keys", "create", "--project", "nlp-sft", "--name", "admin ci", "--json", ...auth])).stdout) as { projectSlug: string };
    expect(adminForNlp.projectSlug).toBe("nlp-sft");
    expect((await runCli(["users", "grant", "alice", "--project", "nlp-sft", "--role", "editor", ...auth])).stdout).toMatch(/alice\s+editor/);

    const url = ["--url", server.url];
    const tooWide = await withStdin(["keys", "create", "--project", "nlp-sft", "--name", "x", "--scopes", "admin", "--user", "alice", ...url], password);
    expect(tooWide.stderr).toContain("at most the 'write' scope");
    const minted = await withStdin(["keys", "create", "--project", "nlp-sft", "--name", "laptop", "--expires", "30d", "--user", "alice", "--json", ...url], password);
    expect(minted.stderr).toBe("");
    const key = JSON.parse(minted.stdout) as { secret: string; username: string; scopes: string[]; expiresAt: string };
    expect([key.username, key.scopes]).toEqual(["alice", ["write"]]);
    expect(new Date(key.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const wrong = await withStdin(["keys", "create", "--project", "nlp-sft", "--name", "y", "--user", "alice", ...url], "not-her-password");
    expect(wrong.stderr).toContain("wrong username or password");

    const run = await init({ project: "nlp-sft", url: server.url, apiKey: key.secret, home: server.home, quiet: true });
    run.log({ loss: 1 }, { step: 0 });
    await run.finish();
    const aliceProjects = await runCli(["projects", "list", "--json", "--url", server.url, "--api-key", key.secret]);
    expect((JSON.parse(aliceProjects.stdout) as Array<{ slug: string }>).map((p) => p.slug)).toEqual(["nlp-sft"]);

    expect((await runCli(["users", "disable", "alice", ...auth])).stdout).toContain("disabled user 'alice'");
    const listed = await runCli(["users", "list", ...auth]);
    expect(listed.stdout).toMatch(/alice\s+disabled/);
    const refused = await runCli(["projects", "list", "--url", server.url, "--api-key", key.secret]);
    expect(refused.stderr).toContain("user 'alice' is disabled");
    const reset = await runCli(["users", "reset-password", "alice", ...auth]);
    expect(reset.stdout).toMatch(/one-time password .*: \S{20}/);
    expect((await runCli(["users", "disable", "alice", "--url", server.url, "--api-key", key.secret])).code).toBe(1);
  });
});
