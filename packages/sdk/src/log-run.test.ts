import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { init, spoolPaths } from "./index";
import { pause, startTestServer, storedPoints, type TestServer } from "@finetrack/sdk/testing";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe("SDK against a real server", () => {
  it("logs a run end to end: create with config and dataset, points, summary, artifact, finish", async () => {
    const run = await init({
      project: server.project,
      url: server.url,
      apiKey: server.apiKey,
      home: server.home,
      name: "lora-r8",
      group: "sweep-1",
      config: { lr: 3e-4, rank: 8, optimizer: { name: "adamw" } },
      baseModel: "tiny-gpt",
      baseModelParams: 1_200_000,
      dataset: { name: "alpaca-mini", version: "v1", trainSize: 900, validationSize: 100 },
      method: "lora",
      tags: ["test", "lora"],
      seed: 7,
      system: { backend: "cpu" },
      quiet: true,
    });
    for (let step = 0; step < 1000; step++) {
      run.log({ "train/loss": 2 / (step + 1), "val/loss": step === 500 ? Number.NaN : 2.5 / (step + 1) }, { step, epoch: step / 100 });
    }
    run.summary({ best_val_loss: 0.0025 });
    run.artifact({ name: "final", kind: "checkpoint", uri: "file:///tmp/final.bin", bytes: 1234 });
    await run.finish();

    const stored = await server.client.run.get.query({ id: run.id });
    expect(stored).toMatchObject({ name: "lora-r8", group: "sweep-1", status: "finished", baseModel: "tiny-gpt", method: "lora", seed: 7, tags: ["test", "lora"] });
    expect(stored.config).toMatchObject({ lr: 3e-4, rank: 8, optimizer: { name: "adamw" } });
    expect(stored.summary).toMatchObject({ best_val_loss: 0.0025 });
    expect(stored.dataset).toMatchObject({ name: "alpaca-mini", version: "v1", trainSize: 900 });
    expect(stored.system).toMatchObject({ backend: "cpu", node: process.version, cpuCount: expect.any(Number), hostname: expect.any(String) });
    // This repository is a git checkout, so the commit is known.
    expect(stored.system.gitCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(typeof stored.system.gitDirty).toBe("boolean");

    const points = await storedPoints(server.db, run.id);
    expect(points.get("train/loss")).toHaveLength(1000);
    expect(points.get("val/loss")).toHaveLength(1000);
    expect(points.get("train/loss")![999]).toEqual({ step: 999, value: 2 / 1000 });
    expect(points.get("val/loss")![500].value).toBeNaN();
    const artifacts = await server.client.artifact.list.query({ runId: run.id });
    expect(artifacts.map((a) => a.name)).toEqual(["final"]);
    expect(existsSync(run.spoolPath)).toBe(false);
  });

  it("finish() resolves only once every point is stored", async () => {
    const run = await init({ project: server.project, url: server.url, apiKey: server.apiKey, home: server.home, quiet: true, tuning: { flushIntervalMs: 60_000, batchSize: 500 } });
    for (let step = 0; step < 25_000; step++) run.log({ loss: step }, { step });
    await pause(20);
    const before = (await storedPoints(server.db, run.id)).get("loss")?.length ?? 0;
    expect(before).toBeLessThan(25_000);
    await run.finish();
    const after = (await storedPoints(server.db, run.id)).get("loss") ?? [];
    expect(after).toHaveLength(25_000);
    expect((await server.client.run.get.query({ id: run.id })).status).toBe("finished");
  });

  it("20 runs logging at once all land complete", async () => {
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => init({ project: server.project, url: server.url, apiKey: server.apiKey, home: server.home, name: `parallel-${i}`, quiet: true, tuning: { batchSize: 500, flushIntervalMs: 50 } })),
    );
    await Promise.all(
      runs.map(async (run, i) => {
        for (let step = 0; step < 1_000; step++) {
          run.log({ "train/loss": i + step / 1_000, "train/acc": step / 1_000 }, { step });
          if (step % 250 === 0) await pause(1);
        }
        await run.finish({ status: i % 2 === 0 ? "finished" : "failed" });
      }),
    );
    for (const [i, run] of runs.entries()) {
      const points = await storedPoints(server.db, run.id);
      expect(points.get("train/loss")).toHaveLength(1_000);
      expect(points.get("train/acc")).toHaveLength(1_000);
      expect(points.get("train/loss")![999].value).toBeCloseTo(i + 999 / 1_000, 10);
      expect((await server.client.run.get.query({ id: run.id })).status).toBe(i % 2 === 0 ? "finished" : "failed");
    }
  });

  it("a point the server refuses (a different value for a stored step) is set aside; the rest of its batch is stored", async () => {
    const first = await init({ project: server.project, url: server.url, apiKey: server.apiKey, home: server.home, quiet: true });
    first.log({ loss: 5 }, { step: 5 });
    await first.finish();
    const messages: string[] = [];
    const writeErr = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (messages.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      // Resuming the same run id, with a different value for step 5 among 2,000 new points.
      const resumed = await init({ project: server.project, id: first.id, url: server.url, apiKey: server.apiKey, home: server.home });
      for (let step = 0; step < 2_000; step++) resumed.log({ loss: step === 5 ? 99 : step }, { step });
      await resumed.finish();
    } finally {
      process.stderr.write = writeErr;
    }
    const points = (await storedPoints(server.db, first.id)).get("loss")!;
    expect(points).toHaveLength(2_000);
    expect(points[5]).toEqual({ step: 5, value: 5 });
    expect(points[1_999]).toEqual({ step: 1_999, value: 1_999 });
    const rejected = readFileSync(spoolPaths(server.home, first.id).rejected, "utf8").trim().split("\n");
    expect(rejected).toHaveLength(1);
    expect(JSON.parse(rejected[0])).toMatchObject({ t: "p", keys: ["loss"], s: [5], v: [99], why: ["value: already stored with value 5; metrics are append-only"] });
    expect(messages.join("")).toMatch(/1 point\(s\) \(first: 'loss' step 5\) refused \(CONFLICT: value: already stored with value 5/);
  });

  it("heartbeats while the program is busy without logging", async () => {
    const run = await init({ project: server.project, url: server.url, apiKey: server.apiKey, home: server.home, quiet: true, tuning: { heartbeatMs: 100 } });
    const created = await server.client.run.get.query({ id: run.id });
    await pause(600);
    const later = await server.client.run.get.query({ id: run.id });
    expect(later.heartbeatAt!.getTime()).toBeGreaterThan((created.heartbeatAt ?? created.createdAt).getTime());
    await run.finish();
  });

  it("init rejects an unknown key and bad input with messages that say what is wrong", async () => {
    await expect(init({ project: server.project, url: server.url, apiKey: "ft_not_a_real_key", home: server.home, quiet: true })).rejects.toThrow(/could not create run .*UNAUTHORIZED/);
    await expect(init({ project: "", url: server.url, home: server.home })).rejects.toThrow(/needs the project slug/);
    await expect(init({ project: server.project, url: server.url, apiKey: server.apiKey, home: server.home, seed: 1.5 })).rejects.toThrow(/seed: expected an integer seed/);
  });
});
