import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { freePort } from "@finetrack/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_TUNING, spoolPaths, syncSpool } from "./index";
import { pause, startTestServer, storedPoints, type TestServer } from "@finetrack/sdk/testing";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const childScript = fileURLToPath(new URL("../test/fixtures/child-run.ts", import.meta.url));

/** Starts the fixture in its own Node process; resolves the run id once it printed "ready". */
function startChild(mode: string, url = server.url) {
  const child = spawn(process.execPath, ["--import", "tsx", childScript, mode, url, server.apiKey, server.home], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const match = /ready (\S+)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`child exited (${code}) before ready: ${stderr}`)));
  });
  // 'close', not 'exit': by then everything the child wrote to its pipes has been read.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => child.once("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, ready, exited };
}

function expectContiguous(points: Array<{ step: number; value: number }> | undefined, atLeast: number) {
  expect(points!.length).toBeGreaterThanOrEqual(atLeast);
  points!.forEach((p, i) => expect(p).toEqual({ step: i, value: i }));
}

describe("process exit and signals", () => {
  it("SIGTERM marks the run killed, sends what was logged, then lets the signal end the process", async () => {
    const { child, ready, exited } = startChild("loop");
    const runId = await ready;
    await new Promise((r) => setTimeout(r, 200));
    child.kill("SIGTERM");
    const { signal, stderr } = await exited;
    expect(signal).toBe("SIGTERM");
    expect(stderr).toMatch(/SIGTERM: marking .* killed/);
    expect((await server.client.run.get.query({ id: runId })).status).toBe("killed");
    expectContiguous((await storedPoints(server.db, runId)).get("loss"), 200);
    expect(existsSync(spoolPaths(server.home, runId).file)).toBe(false);
  });

  it("SIGTERM while the server is unreachable: the killed run is spooled within seconds and syncs later", async () => {
    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    const { child, ready, exited } = startChild("loop", deadUrl);
    const runId = await ready;
    const signalledAt = Date.now();
    child.kill("SIGTERM");
    const { signal } = await exited;
    expect(signal).toBe("SIGTERM");
    expect(Date.now() - signalledAt).toBeLessThan(15_000);
    expect(existsSync(spoolPaths(server.home, runId).file)).toBe(true);
    await syncSpool({ home: server.home, url: server.url, apiKey: server.apiKey, runIds: [runId] });
    expect((await server.client.run.get.query({ id: runId })).status).toBe("killed");
    expectContiguous((await storedPoints(server.db, runId)).get("loss"), 200);
  });

  it("a program with its own SIGTERM handler shuts down its way: last step and summary kept, run killed", async () => {
    const { child, ready, exited } = startChild("own-handler");
    const runId = await ready;
    await new Promise((r) => setTimeout(r, 100));
    child.kill("SIGTERM");
    const { code, signal } = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const stored = await server.client.run.get.query({ id: runId });
    expect(stored.status).toBe("killed");
    const points = (await storedPoints(server.db, runId)).get("loss")!;
    expectContiguous(points, 200);
    expect(stored.summary.stopped_at).toBe(points[points.length - 1].step);
  });

  it("when that handler never finishes the run, it still ends as killed, not finished", async () => {
    const { child, ready, exited } = startChild("own-handler-nofinish");
    const runId = await ready;
    child.kill("SIGTERM");
    expect((await exited).code).toBe(0);
    expect((await server.client.run.get.query({ id: runId })).status).toBe("killed");
    expectContiguous((await storedPoints(server.db, runId)).get("loss"), 200);
  });

  it("a program that ends without finish() still gets its run finished and stored", async () => {
    const { ready, exited } = startChild("no-finish");
    const runId = await ready;
    expect((await exited).code).toBe(0);
    expect((await server.client.run.get.query({ id: runId })).status).toBe("finished");
    expectContiguous((await storedPoints(server.db, runId)).get("loss"), 100);
  });

  it("kill -9 of a durable run (the default) loses at most the points of the event-loop turn it died in; sync sends the rest once", async () => {
    const { child, ready, exited } = startChild("durable");
    const runId = await ready;
    // Past one flush interval (1 s by default), so some of the run is stored and acknowledged live.
    while (((await storedPoints(server.db, runId)).get("loss")?.length ?? 0) === 0) await pause(100);
    await pause(300);
    child.kill("SIGKILL");
    const { signal, stdout } = await exited;
    expect(signal).toBe("SIGKILL");
    const logged = Number([...stdout.matchAll(/logged (\d+)/g)].pop()![1]) + 1;
    const storedLive = (await storedPoints(server.db, runId)).get("loss")!.length;
    const [synced] = await syncSpool({ home: server.home, url: server.url, apiKey: server.apiKey, runIds: [runId] });
    expect(synced.outcome === "uploaded" || synced.corrupt.every((c) => c.byteOffset > 0)).toBe(true);
    const points = (await storedPoints(server.db, runId)).get("loss")!;
    expectContiguous(points, 1);
    // The sender's cursor: sync sends what the server had not acknowledged, not the whole run again
    // (at most the one request in flight at the kill is sent twice).
    expect(synced.points).toBeLessThanOrEqual(points.length - storedLive + DEFAULT_TUNING.batchSize);
    const lost = Math.max(0, logged - points.length);
    process.stdout.write(`kill -9 (durable): ${logged} points logged, ${storedLive} stored live, ${synced.points} sent by sync, ${lost} lost\n`);
    // One turn logs 10 points; its write happens at the end of the turn.
    expect(lost).toBeLessThanOrEqual(10);
    expect(existsSync(spoolPaths(server.home, runId).file)).toBe(false);
  });

  it("process.exit() before finish leaves the rest in the spool as failed; sync uploads it", async () => {
    const { ready, exited } = startChild("exit");
    const runId = await ready;
    const { code, stderr } = await exited;
    expect(code).toBe(3);
    expect(stderr).toMatch(/process exited before run .* was fully stored/);
    await syncSpool({ home: server.home, url: server.url, apiKey: server.apiKey, runIds: [runId] });
    expect((await server.client.run.get.query({ id: runId })).status).toBe("failed");
    expectContiguous((await storedPoints(server.db, runId)).get("loss"), 100);
    expect((await storedPoints(server.db, runId)).get("loss")).toHaveLength(100);
  });
});
