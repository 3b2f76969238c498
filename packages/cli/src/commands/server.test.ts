import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, type Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { createApiClient, init, readCredentials } from "@finetrack/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRunning as alive } from "../../test/process-state";
import { CLI_BIN, runCli } from "../../test/run-cli";

let db: Db;
let home: string;
let port: number;
/** Every server started; whatever a failed test leaves running is killed at the end. */
const servers: ChildProcess[] = [];
/** Data folders of the embedded-PostgreSQL tests: whatever they leave running is killed at the end. */
const dataDirs: string[] = [];

beforeAll(async () => {
  db = await createTestDb();
  home = mkdtempSync(join(tmpdir(), "ft-server-home-"));
  port = await freePort();
});
afterAll(async () => {
  for (const child of servers) if (child.exitCode === null) child.kill("SIGKILL");
  await db?.close();
  for (const dir of dataDirs) {
    const pid = postmasterPid(dir);
    if (pid && alive(pid)) process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

const env = () => ({ DATABASE_URL: db.url, FINETRACK_HOME: home, FINETRACK_URL: "", FINETRACK_API_KEY: "" });

/** Starts `finetrack server` and resolves with its output once it says it is serving. */
function startServer(serverEnv: Record<string, string> = env()): Promise<{ child: ChildProcess; output: () => string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...serverEnv };
  if (!serverEnv.DATABASE_URL) delete childEnv.DATABASE_URL;
  const child = spawn(process.execPath, [CLI_BIN, "server", "--api-only", "--port", String(port), "--crash-timeout", "1"], { env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  servers.push(child);
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


function postmasterPid(dataDir: string): number | undefined {
  const file = join(dataDir, "pg", "postmaster.pid");
  return existsSync(file) ? Number(readFileSync(file, "utf8").split("\n")[0]) : undefined;
}

async function health(): Promise<number> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/api/trpc/health.check`)).status;
  } catch {
    return 0;
  }
}

/** A server on its own embedded PostgreSQL (no DATABASE_URL), in a fresh data folder. */
async function embeddedEnv(): Promise<Record<string, string>> {
  port = await freePort(); // a server a failed test left behind keeps the old one
  const dataDir = mkdtempSync(join(tmpdir(), "ft-server-data-"));
  chmodSync(dataDir, 0o755);
  dataDirs.push(dataDir);
  return { FINETRACK_DATA_DIR: dataDir, FINETRACK_PG_PORT: String(await freePort()), FINETRACK_HOME: mkdtempSync(join(tmpdir(), "ft-server-home-")), FINETRACK_URL: "", FINETRACK_API_KEY: "" };
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
    expect(synced.stdout).toContain(`${run.id}: uploaded: 10 points stored`);
    const again = await runCli(["sync"], env());
    expect(again.stdout).toContain("nothing to sync");
    expect(await stop(srv.child)).toBe(0);
  });
});

describe("finetrack server with its embedded PostgreSQL", () => {
  it("starts again after kill -9: the postmaster the dead server left running is shut down first (a live server's is left alone)", async () => {
    const serverEnv = await embeddedEnv();
    const first = await startServer(serverEnv);
    expect(await health()).toBe(200);
    const orphan = postmasterPid(serverEnv.FINETRACK_DATA_DIR)!;
    await new Promise((resolve) => {
      first.child.once("exit", resolve);
      first.child.kill("SIGKILL");
    });
    // kill -9 leaves the child postmaster running, holding its lock file and port.
    expect(alive(orphan)).toBe(true);

    const second = await startServer(serverEnv);
    expect(second.output()).toContain(`shutting down PostgreSQL pid ${orphan}`);
    expect(await health()).toBe(200);
    expect(alive(orphan)).toBe(false);
    expect(postmasterPid(serverEnv.FINETRACK_DATA_DIR)).not.toBe(orphan);

    // A postmaster whose server is alive is not a leftover: a second server on the folder refuses.
    const livePort = port;
    port = await freePort();
    const refused = await startServer(serverEnv).then(
      () => "started",
      (error: Error) => error.message,
    );
    port = livePort;
    expect(refused).toMatch(/belongs to a running finetrack server \(pid \d+\)/);
    expect(await health()).toBe(200);
    expect(await stop(second.child)).toBe(0);
  });

  it("survives its PostgreSQL dying (kill -9, then a fast shutdown): health answers 503 meanwhile and 200 again once it has restarted it", async () => {
    const serverEnv = await embeddedEnv();
    const srv = await startServer(serverEnv);
    const url = `http://localhost:${port}`;
    const secret = readCredentials(serverEnv.FINETRACK_HOME).servers[url].apiKey;
    const client = createApiClient({ url, apiKey: secret });
    // Load while PostgreSQL goes away: ingest holds pool clients in transactions (checked out, so
    // without a listener of their own) when the server drops their connections.
    const run = await client.run.create.mutate({ project: "default", name: "under-load" });
    let loading = true;
    let step = 0;
    const writer = async () => {
      while (loading) {
        const points = Array.from({ length: 200 }, () => ({ key: "loss", step: step++, value: Math.random() }));
        await client.metric.logBatch.mutate({ runId: run.id, points }).catch(() => {});
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, writer));
    for (const signal of ["SIGKILL", "SIGINT"] as const) {
      const pid = postmasterPid(serverEnv.FINETRACK_DATA_DIR)!;
      const restarts = () => srv.output().split("PostgreSQL restarted").length - 1;
      const restartsBefore = restarts();
      const killedAt = Date.now();
      process.kill(pid, signal);
      // Health until the server has restarted PostgreSQL and answers 200 again.
      const seen: number[] = [];
      while (restarts() === restartsBefore || seen.at(-1) !== 200) {
        seen.push(await health());
        expect(srv.child.exitCode).toBeNull();
      }
      console.log(`${signal} of the postmaster: health back to 200 after ${Date.now() - killedAt} ms (${seen.length} checks)`);
      expect(restarts()).toBe(restartsBefore + 1);
      expect(alive(pid)).toBe(false);
      expect(seen.filter((s) => s !== 200 && s !== 503)).toEqual([]);
      // Crash recovery takes long enough that the outage is always seen; a fast shutdown's restart
      // can fall between two checks while the load holds every connection.
      if (signal === "SIGKILL") expect(seen).toContain(503);
    }
    loading = false;
    await load;
    const created = await client.run.create.mutate({ project: "default", name: "after" });
    expect((await client.run.get.query({ id: created.id })).name).toBe("after");
    expect(srv.output()).not.toMatch(/Unhandled|57P01|uncaught/i);
    expect(await stop(srv.child)).toBe(0);
  });
});
