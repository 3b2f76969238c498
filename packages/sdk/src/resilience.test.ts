import { existsSync, readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { init, listSpooledRuns, syncSpool } from "./index";
import { pause, startTestServer, storedPoints, type TestServer } from "@finetrack/sdk/testing";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ killable: true });
});
afterAll(async () => {
  await server?.close();
});

function expectExactlyOnce(points: Array<{ step: number; value: number }> | undefined, steps: number, valueAt: (step: number) => number) {
  expect(points).toHaveLength(steps);
  points!.forEach((point, i) => {
    expect(point.step).toBe(i);
    expect(point.value).toBe(valueAt(i));
  });
}

describe("server outages", () => {
  it("a 10,000-step run survives the server being killed and restarted midway: every point exactly once", async () => {
    const messages: string[] = [];
    const writeErr = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (messages.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      const run = await init({ project: server.project, url: server.url, apiKey: server.apiKey, home: server.home, tuning: { batchSize: 500, flushIntervalMs: 20, maxQueuedPoints: 1_000 } });
      let spooledWhileDown = false;
      for (let step = 0; step < 10_000; step++) {
        run.log({ "train/loss": 1 / (step + 1), "val/loss": 2 / (step + 1) }, { step });
        if (step % 100 === 99) await pause(2);
        if (step === 3_000) await server.kill();
        if (step === 6_000) {
          spooledWhileDown = existsSync(run.spoolPath);
          await server.restart();
        }
      }
      await run.finish();
      expect(spooledWhileDown).toBe(true);
      const points = await storedPoints(server.db, run.id);
      expectExactlyOnce(points.get("train/loss"), 10_000, (s) => 1 / (s + 1));
      expectExactlyOnce(points.get("val/loss"), 10_000, (s) => 2 / (s + 1));
      expect((await server.client.run.get.query({ id: run.id })).status).toBe("finished");
      expect(existsSync(run.spoolPath)).toBe(false);
      // Reported once, not once per failed request.
      expect(messages.filter((m) => m.includes("cannot reach")).length).toBe(1);
      expect(messages.filter((m) => m.includes("reconnected")).length).toBe(1);
    } finally {
      process.stderr.write = writeErr;
    }
  });

  it("when the server is still down at finish, the run is left in the spool and `sync` uploads it exactly once", async () => {
    const run = await init({ project: server.project, url: server.url, apiKey: server.apiKey, home: server.home, quiet: true, tuning: { batchSize: 1_000, flushIntervalMs: 20, finishTimeoutMs: 500 } });
    for (let step = 0; step < 5_000; step++) {
      run.log({ loss: step * 0.5 }, { step });
      if (step % 500 === 499) await pause(2);
      if (step === 2_500) await server.kill();
    }
    run.summary({ note: "ended while the server was down" });
    const started = Date.now();
    await run.finish({ status: "failed", error: "boom" });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(existsSync(run.spoolPath)).toBe(true);
    expect(listSpooledRuns(server.home)).toContain(run.id);

    await server.restart();
    const results = await syncSpool({ home: server.home, url: server.url, apiKey: server.apiKey, runIds: [run.id] });
    expect(results).toMatchObject([{ runId: run.id, outcome: "uploaded" }]);
    expect(existsSync(run.spoolPath)).toBe(false);
    const points = await storedPoints(server.db, run.id);
    expectExactlyOnce(points.get("loss"), 5_000, (s) => s * 0.5);
    const stored = await server.client.run.get.query({ id: run.id });
    expect(stored).toMatchObject({ status: "failed", error: "boom", summary: { note: "ended while the server was down" } });
  });

  it("a server that is down from the start: init still returns, and everything arrives once it is up", async () => {
    await server.kill();
    const run = await init({ project: server.project, url: server.url, apiKey: server.apiKey, home: server.home, quiet: true, name: "born-offline", tuning: { flushIntervalMs: 20, finishTimeoutMs: 45_000 } });
    for (let step = 0; step < 300; step++) run.log({ loss: step }, { step });
    setTimeout(() => void server.restart(), 300);
    await run.finish();
    expectExactlyOnce((await storedPoints(server.db, run.id)).get("loss"), 300, (s) => s);
    expect((await server.client.run.get.query({ id: run.id })).name).toBe("born-offline");
  });
});

describe("offline mode", () => {
  it("writes only the spool; sync uploads it and removes the file", async () => {
    const home = server.home;
    const run = await init({ project: server.project, url: "http://127.0.0.1:9", mode: "offline", home, quiet: true, name: "offline-run", config: { lr: 0.1 } });
    for (let step = 0; step < 12_345; step++) run.log({ "train/loss": Math.exp(-step / 1000), "val/loss": step % 1000 === 0 ? Number.POSITIVE_INFINITY : 1 }, { step, epoch: Math.floor(step / 1000) });
    run.artifact({ name: "ckpt", kind: "checkpoint", uri: "/tmp/ckpt" });
    await run.finish({ summary: { done: true } });
    const lines = readFileSync(run.spoolPath, "utf8").trim().split("\n");
    expect(JSON.parse(lines[0]).json.t).toBe("create");
    expect(JSON.parse(lines[lines.length - 1]).json.t).toBe("finish");
    await expect(server.client.run.get.query({ id: run.id })).rejects.toThrow();

    const results = await syncSpool({ home, url: server.url, apiKey: server.apiKey });
    expect(results.find((r) => r.runId === run.id)).toMatchObject({ outcome: "uploaded", points: 2 * 12_345 });
    expect(readdirSync(`${home}/spool`).filter((f) => f.startsWith(run.id))).toEqual([]);
    const points = await storedPoints(server.db, run.id);
    expectExactlyOnce(points.get("train/loss"), 12_345, (s) => Math.exp(-s / 1000));
    expect(points.get("val/loss")![3_000].value).toBe(Number.POSITIVE_INFINITY);
    const stored = await server.client.run.get.query({ id: run.id });
    expect(stored).toMatchObject({ name: "offline-run", status: "finished", config: { lr: 0.1 }, summary: { done: true } });
    // A second sync has nothing left to do.
    expect((await syncSpool({ home, url: server.url, apiKey: server.apiKey })).filter((r) => r.runId === run.id)).toEqual([]);
  });

  it("sync keeps the spool when the key is rejected", async () => {
    const run = await init({ project: server.project, mode: "offline", home: server.home, quiet: true });
    run.log({ loss: 1 }, { step: 0 });
    await run.finish();
    const results = await syncSpool({ home: server.home, url: server.url, apiKey: "ft_wrong", runIds: [run.id] });
    expect(results).toMatchObject([{ runId: run.id, outcome: "failed", detail: expect.stringMatching(/rejected the API key/) }]);
    expect(existsSync(run.spoolPath)).toBe(true);
  });
});
