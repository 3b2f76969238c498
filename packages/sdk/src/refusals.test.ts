import { readFileSync } from "node:fs";
import { TRPCClientError } from "@trpc/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { init, spoolPaths } from "./index";
import { logBatchRequests, pause, startFaultProxy, startTestServer, storedPoints, type FaultProxy, type TestServer } from "@finetrack/sdk/testing";

let server: TestServer;
let proxy: FaultProxy;
beforeAll(async () => {
  server = await startTestServer();
  proxy = await startFaultProxy(server.url);
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

function captureStderr() {
  const lines: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string) => (lines.push(String(chunk)), true)) as typeof process.stderr.write;
  return { lines, restore: () => void (process.stderr.write = write) };
}

const rejectedLines = (runId: string) =>
  readFileSync(spoolPaths(server.home, runId).rejected, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));

/** What the server itself answers for one point in a logBatch: `key: expected …` (its message, its field). */
async function serverMessage(runId: string, point: Record<string, unknown>): Promise<string> {
  try {
    await server.client.metric.logBatch.mutate({ runId, points: [point as never] });
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as { data?: { httpStatus?: number } }).data?.httpStatus).toBe(400);
    return (error as Error).message.replace(/^points(\[0\]|\.0)\./, "");
  }
  throw new Error(`the server accepted ${JSON.stringify(point)}`);
}

describe("input the server would refuse", () => {
  it("is refused by the SDK with the server's own message, kept with the reason, and the run goes on", async () => {
    const stderr = captureStderr();
    let run;
    try {
      run = await init({ project: server.project, url: proxy.url, apiKey: server.apiKey, home: server.home });
      const bad: Array<[Record<string, number>, { step: number; epoch?: number }]> = [
        [{ "nul\u0000key": 1 }, { step: 1 }],
        [{ "lone\ud800surrogate": 1 }, { step: 1 }],
        [{ loss: 1 }, { step: -1 }],
        [{ loss: 1 }, { step: 1, epoch: 1e39 }],
      ];
      for (let step = 0; step < 100; step++) {
        run.log({ loss: step }, { step });
        if (step === 50) for (const [metrics, options] of bad) run.log(metrics, options);
      }
      run.summary({ note: "bad\u0000byte" });
      await run.finish();
    } finally {
      stderr.restore();
    }
    expect((await server.client.run.get.query({ id: run.id })).status).toBe("finished");
    expect((await storedPoints(server.db, run.id)).get("loss")).toHaveLength(100);
    const rejected = rejectedLines(run.id);
    expect(rejected).toHaveLength(5);
    // The SDK's reason is what the server answers for the same point.
    const expected = [
      await serverMessage(run.id, { key: "nul\u0000key", step: 1, value: 1 }),
      await serverMessage(run.id, { key: "lone\ud800surrogate", step: 1, value: 1 }),
      await serverMessage(run.id, { key: "loss", step: -1, value: 1 }),
      await serverMessage(run.id, { key: "loss", step: 1, value: 1, epoch: 1e39 }),
    ];
    expect(rejected.slice(0, 4).map((line) => line.why[0])).toEqual(expected);
    expect(rejected[4]).toMatchObject({ json: { t: "update" }, why: expect.stringMatching(/^summary\.note: /) });
    // Nothing refused was sent, and it was reported once per kind, not once per point.
    expect(proxy.requests.some((r) => r.body.includes("surrogate") || r.body.includes("bad\\u0000byte"))).toBe(false);
    expect(stderr.lines.filter((l) => l.includes("point(s)") && l.includes("refused"))).toHaveLength(1);
  });

  it("a server error that repeats identically is not retried forever: the batch is kept aside and the run finishes", async () => {
    const run = await init({ project: server.project, url: proxy.url, apiKey: server.apiKey, home: server.home, quiet: true, tuning: { flushIntervalMs: 20, maxIdenticalServerErrors: 3 } });
    proxy.requests.length = 0;
    proxy.inject = (request) => (request.path.includes("metric.logBatch") && request.body.includes('"poison"') ? { httpStatus: 500, code: "INTERNAL_SERVER_ERROR", message: "an internal error" } : null);
    try {
      for (let step = 0; step < 50; step++) run.log({ loss: step }, { step });
      run.log({ poison: 1 }, { step: 0 });
      // Until the sender has given up on it (in a batch of its own or with the first 50 points) …
      while (logBatchRequests(proxy.requests).filter((r) => r.body.includes('"poison"')).length < 3) await pause(20);
      await pause(50);
      // … and the points logged after it are stored as usual.
      for (let step = 50; step < 100; step++) run.log({ loss: step }, { step });
      await run.finish();
    } finally {
      proxy.inject = null;
    }
    expect((await server.client.run.get.query({ id: run.id })).status).toBe("finished");
    const poisoned = logBatchRequests(proxy.requests).filter((r) => r.body.includes('"poison"'));
    expect(poisoned).toHaveLength(3);
    // The refused batch is kept whole (with the reason) for a replay once the server is fixed.
    const [rejected] = rejectedLines(run.id);
    expect(rejected.keys).toContain("poison");
    expect(new Set(rejected.why)).toEqual(new Set(["INTERNAL_SERVER_ERROR: an internal error (the same answer 3 times in a row)"]));
    const kept = rejected.s.length - 1;
    expect((await storedPoints(server.db, run.id)).get("loss")).toHaveLength(100 - kept);
  });
});
