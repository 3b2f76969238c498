import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, type Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { createApiClient, init, readCredentials } from "@finetrack/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI_BIN, runCli } from "../../test/run-cli";

let db: Db;
let home: string;
let port: number;
let server: ChildProcess | null = null;

beforeAll(async () => {
  db = await createTestDb();
  home = mkdtempSync(join(tmpdir(), "ft-server-home-"));
  port = await freePort();
});
afterAll(async () => {
  server?.kill("SIGKILL");
  await db?.close();
});

const env = () => ({ DATABASE_URL: db.url, FINETRACK_HOME: home, FINETRACK_URL: "", FINETRACK_API_KEY: "" });

/** Starts `finetrack server` and resolves with its output once it says it is serving. */
function startServer(): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [CLI_BIN, "server", "--api-only", "--port", String(port), "--crash-timeout", "1"], { env: { ...process.env, ...env() }, stdio: ["ignore", "pipe", "pipe"] });
  server = child;
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes("serving the API at")) {
        clearInterval(timer);
        resolve({ child, output: () => output });
      }
    }, 50);
    child.once("exit", (code) => {
      clearInterval(timer);
      reject(new Error(`server exited (${code}): ${output}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

describe("finetrack server", () => {
  it("bootstraps a project and admin key into the credentials file, serves the SDK and CLI, and stops cleanly", async () => {
    const first = await startServer();
    const url = `http://localhost:${port}`;
    expect(first.output()).toMatch(/admin API key for project 'default'/);
    const credentials = readCredentials(home);
    expect(credentials.default).toBe(url);
    const secret = credentials.servers[url].apiKey;
    expect(first.output()).toContain(secret);

    // Nothing but the credentials file tells the SDK and CLI where to go.
    const run = await init({ project: "default", home, quiet: true, name: "via-credentials" });
    for (let step = 0; step < 50; step++) run.log({ loss: 1 / (step + 1) }, { step });
    await run.finish();
    const exported = await runCli(["export", "--run", run.id], env());
    expect(JSON.parse(exported.stdout).runs[0]).toMatchObject({ id: run.id, name: "via-credentials", status: "finished" });
    expect(JSON.parse(exported.stdout).runs[0].metrics.loss.step).toHaveLength(50);

    // A run that stops heartbeating is marked crashed by the sweep (timeout 1 s here).
    const client = createApiClient({ url, apiKey: secret });
    const silent = await client.run.create.mutate({ project: "default", name: "silent" });
    let status = "running";
    for (let waited = 0; status === "running" && waited < 15_000; waited += 250) {
      await new Promise((r) => setTimeout(r, 250));
      status = (await client.run.get.query({ id: silent.id })).status;
    }
    expect(status).toBe("crashed");

    expect(await stop(first.child)).toBe(0);
    expect(first.output()).toContain("SIGTERM: shutting down");

    // The second start reuses the stored key instead of minting (and printing) another.
    const second = await startServer();
    expect(second.output()).not.toMatch(/admin API key/);
    expect(readCredentials(home).servers[url].apiKey).toBe(secret);
    expect(await stop(second.child)).toBe(0);
    expect(existsSync(join(home, "credentials.json"))).toBe(true);
  });

  it("`finetrack sync` uploads an offline run through the credentials file", async () => {
    const srv = await startServer();
    const run = await init({ project: "default", home, mode: "offline", quiet: true });
    for (let step = 0; step < 10; step++) run.log({ acc: step / 10 }, { step });
    await run.finish();
    expect((await runCli(["sync", "--list"], env())).stdout).toMatch(new RegExp(`^${run.id}\\t\\d+ bytes$`, "m"));
    const synced = await runCli(["sync"], env());
    expect(synced.stdout).toContain(`${run.id}: uploaded 10 points`);
    const again = await runCli(["sync"], env());
    expect(again.stdout).toContain("nothing to sync");
    expect(await stop(srv.child)).toBe(0);
  });
});
