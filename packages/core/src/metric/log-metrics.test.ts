import { createTestDb } from "@finetrack/db/testing";
import type { Db } from "@finetrack/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProject } from "../project/create-project";
import { createRun } from "../run/create-run";
import { getRun } from "../run/get-run";
import { AppError } from "../shared/app-error";
import { logMetrics } from "./log-metrics";
import { bucketize, MIN_TIER_LEVEL, topTierLevel } from "./tiers";

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
  await createProject(db, { slug: "p", name: "P" });
});
afterAll(() => db?.close());

async function countPoints(runId: string): Promise<number> {
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM "MetricPoint" p JOIN "Run" r ON r.seq = p."runSeq" WHERE r.id = $1`, [runId]);
  return rows[0].n;
}

const points = (key: string, from: number, to: number, f = (s: number) => 1 / (s + 1)) =>
  Array.from({ length: to - from }, (_, i) => ({ key, step: from + i, value: f(from + i) }));

describe("logMetrics", () => {
  it("stores a batch, and a re-sent batch creates no duplicates", async () => {
    await createRun(db, { project: "p", id: "idem" });
    const batch = { runId: "idem", points: [...points("train/loss", 0, 500), ...points("val/loss", 0, 50)] };
    expect(await logMetrics(db, batch)).toEqual({ inserted: 550, duplicates: 0 });
    expect(await logMetrics(db, batch)).toEqual({ inserted: 0, duplicates: 550 });
    // A batch overlapping the stored range: only the new points are inserted.
    expect(await logMetrics(db, { runId: "idem", points: points("train/loss", 400, 600) })).toEqual({ inserted: 100, duplicates: 100 });
    expect(await countPoints("idem")).toBe(650);
    const run = await getRun(db, "idem");
    expect(run.metricStats["train/loss"]).toMatchObject({ count: 600, firstStep: 0, lastStep: 599, last: 1 / 600, min: 1 / 600, minStep: 599, max: 1, maxStep: 0 });
  });

  it("rejects a different value for a stored step with CONFLICT naming run, key, step and both values; nothing is written", async () => {
    await createRun(db, { project: "p", id: "conflict" });
    await logMetrics(db, { runId: "conflict", points: points("loss", 0, 10) });
    const before = await getRun(db, "conflict");
    const batch = { runId: "conflict", points: [...points("loss", 10, 20), { key: "loss", step: 5, value: 42 }, ...points("acc", 0, 5)] };
    const error = await logMetrics(db, batch).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toContain("run 'conflict' key 'loss' step 5 is already stored with value 0.16666666666666666, got 42");
    expect(await countPoints("conflict")).toBe(10);
    expect((await getRun(db, "conflict")).metricStats).toEqual(before.metricStats);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM "MetricKey" WHERE name = 'acc'`);
    expect(rows[0].n).toBe(0);
  });

  it("treats the same step twice in one batch as one point, or as a bad request when values differ", async () => {
    await createRun(db, { project: "p", id: "inbatch" });
    expect(await logMetrics(db, { runId: "inbatch", points: [{ key: "k", step: 1, value: 2 }, { key: "k", step: 0, value: 1 }, { key: "k", step: 1, value: 2 }] })).toEqual({ inserted: 2, duplicates: 1 });
    const error = await logMetrics(db, { runId: "inbatch", points: [{ key: "k", step: 9, value: 2 }, { key: "k", step: 9, value: 3 }] }).catch((e) => e);
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("points[0] and points[1] both set key 'k' step 9");
    expect(await countPoints("inbatch")).toBe(2);
  });

  it("stores NaN and ±Infinity as such", async () => {
    await createRun(db, { project: "p", id: "nonfinite" });
    const values = [NaN, Infinity, -Infinity, 0.5];
    await logMetrics(db, { runId: "nonfinite", points: values.map((value, step) => ({ key: "x", step, value, epoch: step / 2 })) });
    const { rows } = await db.pool.query(`SELECT p.value, p.epoch FROM "MetricPoint" p JOIN "Run" r ON r.seq = p."runSeq" WHERE r.id = 'nonfinite' ORDER BY step`);
    expect(rows.map((r) => r.value)).toEqual(values);
    expect(rows.map((r) => r.epoch)).toEqual([0, 0.5, 1, 1.5]);
    // Re-sending NaN is a duplicate, not a conflict.
    expect(await logMetrics(db, { runId: "nonfinite", points: [{ key: "x", step: 0, value: NaN }] })).toEqual({ inserted: 0, duplicates: 1 });
    expect((await getRun(db, "nonfinite")).metricStats.x).toMatchObject({ first: NaN, min: -Infinity, max: Infinity, last: 0.5, count: 4 });
  });

  it("stores wall times exactly, before and after 2000, and epochs as real", async () => {
    await createRun(db, { project: "p", id: "times" });
    const times = [0, 946_684_799_999, 946_684_800_000, Date.UTC(2026, 10, 27, 18, 0, 0, 123), 4_102_444_800_000];
    await logMetrics(db, { runId: "times", points: times.map((time, step) => ({ key: "t", step, value: step, time, epoch: step === 0 ? null : step * 0.1 })) });
    const { rows } = await db.pool.query(`SELECT p."time", p.epoch FROM "MetricPoint" p JOIN "Run" r ON r.seq = p."runSeq" WHERE r.id = 'times' ORDER BY step`);
    expect(rows.map((r) => r.time.getTime())).toEqual(times);
    expect(rows.map((r) => r.epoch)).toEqual([null, 0.1, 0.2, 0.3, 0.4]);
  });

  it("rejects an unknown run id naming the field", async () => {
    const error = await logMetrics(db, { runId: "nope", points: points("k", 0, 1) }).catch((e) => e);
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toBe("runId: expected an existing run id, got 'nope'; create the run with run.create first");
  });

  it("keeps tiers equal to min/max buckets of the raw points, whatever the arrival order", async () => {
    await createRun(db, { project: "p", id: "tiers" });
    const all = points("loss", 0, 3_000, (s) => Math.cos(s / 50) + ((s * 7919) % 101) / 100);
    all[1234].value = NaN;
    // Out of order, in overlapping batches with retries.
    const shuffled = [...all].sort((a, b) => ((a.step * 2654435761) % 4096) - ((b.step * 2654435761) % 4096));
    for (let i = 0; i < shuffled.length; i += 700) await logMetrics(db, { runId: "tiers", points: shuffled.slice(i, i + 900) });
    expect(await countPoints("tiers")).toBe(3_000);
    const { rows } = await db.pool.query(
      `SELECT level, bucket, count, "minStep", "minValue", "maxStep", "maxValue" FROM "MetricTier" t JOIN "Run" r ON r.seq = t."runSeq"
       WHERE r.id = 'tiers' ORDER BY level, bucket`,
    );
    const expected = [];
    // Only the levels a read can pick for steps 0..2999 (see topTierLevel): 4..12.
    expect(topTierLevel(0, 2_999)).toBe(12);
    for (let level = MIN_TIER_LEVEL; level <= topTierLevel(0, 2_999); level++) {
      for (const b of bucketize(all.map((p) => ({ ...p, epoch: null, time: 0 })), level)) {
        expected.push({ level, bucket: b.bucket, count: b.count, minStep: b.min.step, minValue: b.min.value, maxStep: b.max.step, maxValue: b.max.value });
      }
    }
    expect(rows).toEqual(expected);
  });

  it("writes only the tier levels a read can pick, filling new levels as a curve grows either way", async () => {
    await createRun(db, { project: "p", id: "grow" });
    const f = (s: number) => Math.sin(s / 9) + ((s * 31) % 17) / 10;
    const batches = [[100, 101], [102, 103, 104, 105, 106, 107], [99], [50], [0, 1, 2, 3], [40, 41], [200, 1_000], [5_000], [2_000, 2_001], [70_000], [69_999, 3]];
    const rowsOf = async (runId: string) =>
      (await db.pool.query(
        `SELECT t."keyId", level, bucket, count, "minStep", "minValue", "maxStep", "maxValue" FROM "MetricTier" t JOIN "Run" r ON r.seq = t."runSeq"
         WHERE r.id = $1 ORDER BY t."keyId", level, bucket`, [runId],
      )).rows;
    const logged: { step: number; value: number }[] = [];
    for (const steps of batches) {
      const pts = steps.map((step) => ({ key: "g", step, value: f(step) }));
      await logMetrics(db, { runId: "grow", points: [...pts, { key: "single", step: 7, value: 1 }] });
      logged.push(...pts.filter((p) => !logged.some((q) => q.step === p.step)));
      const sorted = [...logged].sort((a, b) => a.step - b.step).map((p) => ({ ...p, epoch: null, time: 0 }));
      const expected = [];
      for (let level = MIN_TIER_LEVEL; level <= topTierLevel(sorted[0].step, sorted.at(-1)!.step); level++) {
        for (const b of bucketize(sorted, level)) {
          expected.push({ level, bucket: b.bucket, count: b.count, minStep: b.min.step, minValue: b.min.value, maxStep: b.max.step, maxValue: b.max.value });
        }
      }
      // The single-point key has no tier rows at all; the growing one has exactly the brute-force buckets.
      expect((await rowsOf("grow")).map(({ keyId: _k, ...r }) => r)).toEqual(expected);
    }
  });

  it("serializes concurrent batches of one run and keeps its statistics exact", async () => {
    await createRun(db, { project: "p", id: "concurrent" });
    await Promise.all(Array.from({ length: 8 }, (_, i) => logMetrics(db, { runId: "concurrent", points: points("k", i * 100, i * 100 + 100) })));
    expect((await getRun(db, "concurrent")).metricStats.k).toMatchObject({ count: 800, firstStep: 0, lastStep: 799 });
  });
});
