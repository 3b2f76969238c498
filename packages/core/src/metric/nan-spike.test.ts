import { downsampleMinMax } from "@finetrack/analysis";
import { readMigrations, type Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProject } from "../project/create-project";
import { createRun } from "../run/create-run";
import { getSeries } from "./get-series";
import { logMetrics } from "./log-metrics";
import { bucketize, MIN_TIER_LEVEL, topTierLevel } from "./tiers";

// A divergence is one NaN point in an otherwise smooth loss: every read of any length must show it.
const CURVES = [
  { runId: "short", length: 100, nanStep: 37 },
  { runId: "long", length: 100_000, nanStep: 43_210 },
];
const loss = (s: number, nanStep: number) => (s === nanStep ? NaN : 2 * Math.exp(-s / 20_000) + 0.05 * Math.sin(s / 7));
const curve = (length: number, nanStep: number) => Array.from({ length }, (_, step) => ({ key: "loss", step, value: loss(step, nanStep) }));

let db: Db;
beforeAll(async () => {
  db = await createTestDb();
  await createProject(db, { slug: "p", name: "P" });
  for (const { runId, length, nanStep } of CURVES) {
    await createRun(db, { project: "p", id: runId });
    const points = curve(length, nanStep);
    for (let i = 0; i < points.length; i += 10_000) await logMetrics(db, { runId, points: points.slice(i, i + 10_000) });
  }
}, 300_000);
afterAll(() => db?.close());

const nanSteps = (s: { step: number[]; value: number[] }) => s.step.filter((_, i) => Number.isNaN(s.value[i]));

async function tierRows(runId: string) {
  const { rows } = await db.pool.query(
    `SELECT level, bucket, count, "minStep", "minValue", "maxStep", "maxValue" FROM "MetricTier" t JOIN "Run" r ON r.seq = t."runSeq"
     WHERE r.id = $1 ORDER BY level, bucket`,
    [runId],
  );
  return rows;
}

describe("a NaN spike stays visible", () => {
  it("in a 100-point and in a 100,000-point curve, raw, from buckets of raw points and from tiers", async () => {
    for (const { runId, length, nanStep } of CURVES) {
      for (const maxPoints of [20, 200, 1_000, 5_000]) {
        const [s] = (await getSeries(db, { runIds: [runId], keys: ["loss"], maxPoints })).series;
        expect(s.sampled, `${runId} at ${maxPoints}`).toBe(length > maxPoints);
        expect(nanSteps(s), `${runId} at ${maxPoints}`).toEqual([nanStep]);
      }
      // The same rule in analysis's downsampling of the raw curve.
      const points = curve(length, nanStep).map((p) => ({ step: p.step, value: p.value }));
      for (const maxPoints of [20, 1_000]) expect(nanSteps({ step: downsampleMinMax(points, maxPoints).map((p) => p.step), value: downsampleMinMax(points, maxPoints).map((p) => p.value) })).toEqual([nanStep]);
    }
  });

  it("the migration rebuilds tiers stored under the old rule (NaN lost the max) to the new one", async () => {
    const runId = "long";
    const { length, nanStep } = CURVES[1];
    const expected = [];
    const points = curve(length, nanStep).map((p) => ({ ...p, epoch: null, time: 0 }));
    for (let level = MIN_TIER_LEVEL; level <= topTierLevel(0, length - 1); level++) {
      for (const b of bucketize(points, level)) expected.push({ level, bucket: b.bucket, count: b.count, minStep: b.min.step, minValue: b.min.value, maxStep: b.max.step, maxValue: b.max.value });
    }
    expect(await tierRows(runId)).toEqual(expected);

    // What the old rule stored: each bucket's largest number as its max, the NaN nowhere.
    await db.pool.query(
      `UPDATE "MetricTier" t SET "maxStep" = m."step", "maxValue" = m."value", "maxEpoch" = m."epoch", "maxTime" = m."time"
       FROM (SELECT DISTINCT ON (t2.level, t2.bucket) t2.level, t2.bucket, p."step", p."value", p."epoch", p."time"
             FROM "MetricTier" t2 JOIN "MetricPoint" p ON p."runSeq" = t2."runSeq" AND p."keyId" = t2."keyId" AND p."step" >> t2.level = t2.bucket
             WHERE t2."maxValue" = 'NaN'::float8 AND p."value" <> 'NaN'::float8
             ORDER BY t2.level, t2.bucket, p."value" DESC, p."step") m
       WHERE t.level = m.level AND t.bucket = m.bucket AND t."maxValue" = 'NaN'::float8`,
    );
    const [hidden] = (await getSeries(db, { runIds: [runId], keys: ["loss"], maxPoints: 1_000 })).series;
    expect(nanSteps(hidden)).toEqual([]);

    const migration = readMigrations().find((m) => m.name.endsWith("_tier_max_keeps_nan"))!;
    await db.pool.query(migration.sql);
    expect(await tierRows(runId)).toEqual(expected);
    const [shown] = (await getSeries(db, { runIds: [runId], keys: ["loss"], maxPoints: 1_000 })).series;
    expect(nanSteps(shown)).toEqual([nanStep]);
  });
});
