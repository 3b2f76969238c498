import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { init } from "./index";
import { pause, startTestServer, storedPoints, type TestServer } from "@finetrack/sdk/testing";

// The hardening probe (issue 13) at a size that fits CI: 50 writers logging at once into a server
// that is SIGKILLed in the middle and started again; every point must be stored exactly once.
const WRITERS = 50;
const STEPS = 500;
const KEYS = ["train/loss", "val/loss", "lr", "grad_norm"];

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ killable: true });
});
afterAll(async () => {
  await server?.close();
});

describe("concurrent writers", () => {
  it(`${WRITERS} runs logging at once through a server kill -9: ${WRITERS * STEPS * KEYS.length} of ${WRITERS * STEPS * KEYS.length} points, each once`, async () => {
    const value = (w: number, k: number, step: number) => (w + 1) * 1000 + k + 1 / (step + 1);
    const runs = await Promise.all(
      Array.from({ length: WRITERS }, (_, w) =>
        init({ project: server.project, url: server.url, apiKey: server.apiKey, home: server.home, name: `writer-${w}`, quiet: true, tuning: { flushIntervalMs: 25, finishTimeoutMs: 60_000 } }),
      ),
    );
    const write = async (w: number) => {
      for (let step = 0; step < STEPS; step++) {
        runs[w].log(Object.fromEntries(KEYS.map((key, k) => [key, value(w, k, step)])), { step });
        if (step % 25 === 24) await pause(20); // about 0.4 s of writing per run, so the kill lands mid-write
      }
    };
    const writing = Promise.all(runs.map((_, w) => write(w)));
    let done = false;
    void writing.then(() => (done = true));
    await pause(150);
    await server.kill();
    const killedMidWrite = !done;
    await pause(300);
    await server.restart();
    await writing;
    expect(killedMidWrite).toBe(true);
    await Promise.all(runs.map((run) => run.finish()));
    let stored = 0;
    for (const [w, run] of runs.entries()) {
      const points = await storedPoints(server.db, run.id);
      for (const [k, key] of KEYS.entries()) {
        const curve = points.get(key) ?? [];
        expect(curve.map((p) => p.step)).toEqual(Array.from({ length: STEPS }, (_, s) => s));
        expect(curve.every((p) => p.value === value(w, k, p.step))).toBe(true);
        stored += curve.length;
      }
      expect((await server.client.run.get.query({ id: run.id })).status).toBe("finished");
    }
    expect(stored).toBe(WRITERS * STEPS * KEYS.length);
  });
});
