import { createTestDb } from "@finetrack/db/testing";
import type { Db } from "@finetrack/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProject } from "../project/create-project";
import { createRun } from "../run/create-run";
import { getSeries } from "./get-series";
import { listMetricKeys } from "./list-metric-keys";
import { logMetrics } from "./log-metrics";

let db: Db;
const T0 = Date.UTC(2026, 0, 1);
const value = (s: number) => Math.exp(-s / 3000) + 0.2 * Math.sin(s / 17) + (s === 4321 ? 5 : 0) + (s === 777 ? -3 : 0);

beforeAll(async () => {
  db = await createTestDb();
  await createProject(db, { slug: "p", name: "P" });
  await createRun(db, { project: "p", id: "long" });
  await createRun(db, { project: "p", id: "short" });
  await createRun(db, { project: "p", id: "medium" });
  for (let from = 0; from < 10_000; from += 5_000) {
    const pts = Array.from({ length: 5_000 }, (_, i) => ({ key: "loss", step: from + i, value: value(from + i), epoch: (from + i) / 1000, time: T0 + (from + i) * 10 }));
    await logMetrics(db, { runId: "long", points: pts });
  }
  await logMetrics(db, { runId: "short", points: Array.from({ length: 50 }, (_, s) => ({ key: "loss", step: s * 2, value: s, time: T0 })) });
  await logMetrics(db, { runId: "medium", points: Array.from({ length: 1_500 }, (_, s) => ({ key: "loss", step: s, value: value(s), time: T0 })) });
});
afterAll(() => db?.close());

describe("getSeries", () => {
  it("downsamples a long curve to at most maxPoints keeping first, last and each bucket's min and max", async () => {
    const { series } = await getSeries(db, { runIds: ["long"], keys: ["loss"], maxPoints: 1_000 });
    const [s] = series;
    expect(s.sampled).toBe(true);
    expect(s.total).toBe(10_000);
    expect(s.step.length).toBeLessThanOrEqual(1_000);
    expect(s.step.length).toBeGreaterThan(500);
    expect(s.step[0]).toBe(0);
    expect(s.step.at(-1)).toBe(9_999);
    expect(s.step).toEqual([...s.step].sort((a, b) => a - b));
    expect(new Set(s.step).size).toBe(s.step.length);
    // The global extremes survive.
    expect(s.value[s.step.indexOf(4321)]).toBe(value(4321));
    expect(s.value[s.step.indexOf(777)]).toBe(value(777));
    // Every 32-step bucket's min and max are there, with their epoch and time.
    for (let b = 0; b < 10_000 / 32; b++) {
      const steps = Array.from({ length: 32 }, (_, i) => b * 32 + i).filter((x) => x < 10_000);
      const vals = steps.map(value);
      const minStep = steps[vals.indexOf(Math.min(...vals))];
      const maxStep = steps[vals.indexOf(Math.max(...vals))];
      for (const step of [minStep, maxStep]) {
        const j = s.step.indexOf(step);
        expect(j).toBeGreaterThanOrEqual(0);
        expect([s.value[j], s.time[j]]).toEqual([value(step), T0 + step * 10]);
        expect(s.epoch[j]).toBeCloseTo(step / 1000, 6);
      }
    }
  });

  it("returns short curves whole and medium ones bucketed from raw points", async () => {
    const { series } = await getSeries(db, { runIds: ["short", "medium"], keys: ["loss", "missing"], maxPoints: 1_000 });
    expect(series.map((s) => [s.runId, s.key, s.total, s.sampled])).toEqual([
      ["short", "loss", 50, false],
      ["short", "missing", 0, false],
      ["medium", "loss", 1_500, true],
      ["medium", "missing", 0, false],
    ]);
    expect(series[0].step).toEqual(Array.from({ length: 50 }, (_, s) => s * 2));
    expect(series[0].time[0]).toBe(T0);
    const medium = series[2];
    expect(medium.step.length).toBeLessThanOrEqual(1_000);
    expect([medium.step[0], medium.step.at(-1)]).toEqual([0, 1_499]);
    expect(medium.value[medium.step.indexOf(777)]).toBe(value(777));
  });

  it("honours small budgets", async () => {
    for (const maxPoints of [4, 10, 101]) {
      const [s] = (await getSeries(db, { runIds: ["long"], keys: ["loss"], maxPoints })).series;
      expect(s.step.length).toBeLessThanOrEqual(maxPoints);
      expect([s.step[0], s.step.at(-1)]).toEqual([0, 9_999]);
    }
  });

  it("names an unknown run", async () => {
    const error = await getSeries(db, { runIds: ["long", "ghost"], keys: ["loss"] }).catch((e) => e);
    expect([error.code, error.message]).toEqual(["NOT_FOUND", "runIds[1]: run 'ghost' not found"]);
  });

  it("lists metric keys of runs", async () => {
    await logMetrics(db, { runId: "short", points: [{ key: "acc", step: 0, value: 1 }] });
    expect(await listMetricKeys(db, ["short", "long"])).toEqual(["acc", "loss"]);
  });
});
