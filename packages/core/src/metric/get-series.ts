import { DEFAULT_SERIES_POINTS, type Series, type SeriesOutput } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { decodeMetricStats } from "../run/to-run";
import { AppError } from "../shared/app-error";
import type { Pool } from "../shared/pg-types";
import { findMetricKeyIds } from "./resolve-metric-keys";
import { bucketize, levelFor, maxBucketsFor, MIN_TIER_LEVEL, samplePoints, type Bucket, type Point } from "./tiers";

type Curve = { runId: string; key: string; seq: number; keyId: number; total: number; firstStep: number; lastStep: number };
type Plan = Curve & { level: number; mode: "raw" | "bucket-raw" | "tier" };

const MS = (col: string) => `round(date_part('epoch', ${col}) * 1000)`;

/**
 * Curves of `keys` for `runIds`, each at most `maxPoints` long: the first and last point and every
 * bucket's min and max. Long curves are read from MetricTier, so the rows read per curve stay near
 * maxPoints however many steps a run has.
 */
export async function getSeries(db: Db, input: { runIds: string[]; keys: string[]; maxPoints?: number }): Promise<SeriesOutput> {
  const maxPoints = input.maxPoints ?? DEFAULT_SERIES_POINTS;
  const { rows: runs } = await db.pool.query<{ id: string; seq: number; projectId: string; stats: unknown }>(
    // Only the requested keys' statistics: a run may hold 10,000 keys (~1.5 MB of them).
    `SELECT "id", "seq", "projectId",
       (SELECT jsonb_object_agg(k, "metricStats" -> k) FROM unnest($2::text[]) AS k WHERE "metricStats" ? k) AS stats
     FROM "Run" WHERE "id" = ANY($1::text[])`,
    [input.runIds, input.keys],
  );
  const runById = new Map(runs.map((r) => [r.id, r]));
  const missing = input.runIds.findIndex((id) => !runById.has(id));
  if (missing >= 0) throw new AppError("NOT_FOUND", `run '${input.runIds[missing]}' not found`, { field: `runIds[${missing}]` });
  const keyIds = await findMetricKeyIds(db.pool, [...new Set(runs.map((r) => r.projectId))], input.keys);
  const out: Series[] = [];
  const plans: (Plan | null)[] = [];
  for (const runId of input.runIds) {
    const run = runById.get(runId)!;
    const stats = decodeMetricStats(run.stats);
    for (const key of input.keys) {
      const stat = stats[key];
      const keyId = keyIds.get(`${run.projectId}\u0000${key}`);
      out.push({ runId, key, step: [], value: [], epoch: [], time: [], total: stat?.count ?? 0, sampled: false });
      if (!stat || keyId === undefined) {
        plans.push(null);
        continue;
      }
      const curve = { runId, key, seq: run.seq, keyId, total: stat.count, firstStep: stat.firstStep, lastStep: stat.lastStep };
      const level = levelFor(curve.firstStep, curve.lastStep, maxBucketsFor(maxPoints));
      const mode = curve.total <= maxPoints ? "raw" : level < MIN_TIER_LEVEL ? "bucket-raw" : "tier";
      plans.push({ ...curve, level, mode });
    }
  }
  const at = (mode: Plan["mode"]) => plans.flatMap((p, i) => (p && p.mode === mode ? [{ ...p, i }] : []));
  const raw = [...at("raw"), ...at("bucket-raw")];
  const tier = at("tier");
  const [rawCurves, tierCurves, ends] = await Promise.all([readRaw(db.pool, raw), readTiers(db.pool, tier), readEnds(db.pool, tier)]);
  for (const p of raw) {
    const points = rawCurves.get(p.i) ?? [];
    const sampled = p.mode === "bucket-raw" && points.length > 0;
    fill(out[p.i], sampled ? samplePoints(points[0], points[points.length - 1], bucketize(points, p.level)) : points, sampled);
  }
  for (const p of tier) {
    const first = ends.get(`${p.seq}:${p.keyId}:${p.firstStep}`);
    const last = ends.get(`${p.seq}:${p.keyId}:${p.lastStep}`);
    const buckets = tierCurves.get(p.i) ?? [];
    if (!first || !last) continue;
    fill(out[p.i], samplePoints(first, last, buckets), true);
  }
  return { series: out };
}

function fill(s: Series, points: Point[], sampled: boolean): void {
  s.sampled = sampled;
  for (const p of points) {
    s.step.push(p.step);
    s.value.push(p.value);
    s.epoch.push(p.epoch);
    s.time.push(p.time);
  }
}

/** Postgres array text (`{1,NaN,NULL}`) to numbers; NaN and ±Infinity parse as such. */
function parseArray(text: string): (number | null)[] {
  if (text.length <= 2) return [];
  return text.slice(1, -1).split(",").map((x) => (x === "NULL" ? null : Number(x)));
}

async function readRaw(pool: Pool, curves: (Plan & { i: number })[]): Promise<Map<number, Point[]>> {
  const out = new Map<number, Point[]>();
  if (curves.length === 0) return out;
  const { rows } = await pool.query<{ i: number; s: string; v: string; e: string; t: string }>(
    `SELECT c.i, x.s::text, x.v::text, x.e::text, x.t::text
     FROM unnest($1::int[], $2::int[], $3::int[]) AS c(r, k, i)
     CROSS JOIN LATERAL (
       SELECT array_agg(p."step" ORDER BY p."step") AS s, array_agg(p."value" ORDER BY p."step") AS v,
              array_agg(p."epoch" ORDER BY p."step") AS e, array_agg(${MS(`p."time"`)} ORDER BY p."step") AS t
       FROM "MetricPoint" p WHERE p."runSeq" = c.r AND p."keyId" = c.k) x`,
    [curves.map((c) => c.seq), curves.map((c) => c.keyId), curves.map((c) => c.i)],
  );
  for (const r of rows) {
    if (r.s === null) continue;
    const [s, v, e, t] = [parseArray(r.s), parseArray(r.v), parseArray(r.e), parseArray(r.t)];
    out.set(r.i, s.map((step, j) => ({ step: step!, value: v[j]!, epoch: e[j], time: t[j]! })));
  }
  return out;
}

async function readTiers(pool: Pool, curves: (Plan & { i: number })[]): Promise<Map<number, Bucket[]>> {
  const out = new Map<number, Bucket[]>();
  if (curves.length === 0) return out;
  const cols = ["minStep", "minValue", "minEpoch", "maxStep", "maxValue", "maxEpoch"];
  const { rows } = await pool.query<Record<string, string> & { i: number }>(
    `SELECT c.i, ${[...cols, "minTime", "maxTime"].map((col) => `x."${col}"::text`).join(", ")}
     FROM unnest($1::int[], $2::int[], $3::int2[], $4::int[]) AS c(r, k, l, i)
     CROSS JOIN LATERAL (
       SELECT ${cols.map((col) => `array_agg(m."${col}" ORDER BY m."bucket") AS "${col}"`).join(", ")},
              array_agg(${MS(`m."minTime"`)} ORDER BY m."bucket") AS "minTime",
              array_agg(${MS(`m."maxTime"`)} ORDER BY m."bucket") AS "maxTime"
       FROM "MetricTier" m WHERE m."runSeq" = c.r AND m."keyId" = c.k AND m."level" = c.l) x`,
    [curves.map((c) => c.seq), curves.map((c) => c.keyId), curves.map((c) => c.level), curves.map((c) => c.i)],
  );
  for (const r of rows) {
    if (r.minStep === null) continue;
    const a = Object.fromEntries([...cols, "minTime", "maxTime"].map((col) => [col, parseArray(r[col])]));
    out.set(
      r.i,
      a.minStep.map((_, j) => ({
        bucket: j,
        count: 0,
        min: { step: a.minStep[j]!, value: a.minValue[j]!, epoch: a.minEpoch[j], time: a.minTime[j]! },
        max: { step: a.maxStep[j]!, value: a.maxValue[j]!, epoch: a.maxEpoch[j], time: a.maxTime[j]! },
      })),
    );
  }
  return out;
}

/** The first and last stored point of each curve (tiers keep only bucket extremes). */
async function readEnds(pool: Pool, curves: Plan[]): Promise<Map<string, Point>> {
  const out = new Map<string, Point>();
  if (curves.length === 0) return out;
  const r = curves.flatMap((c) => [c.seq, c.seq]);
  const k = curves.flatMap((c) => [c.keyId, c.keyId]);
  const s = curves.flatMap((c) => [c.firstStep, c.lastStep]);
  const { rows } = await pool.query<{ r: number; k: number; step: number; value: number; epoch: number | null; t: number }>(
    `SELECT p."runSeq" AS r, p."keyId" AS k, p."step", p."value", p."epoch", ${MS(`p."time"`)} AS t
     FROM unnest($1::int[], $2::int[], $3::int[]) AS u(r, k, s)
     JOIN "MetricPoint" p ON p."runSeq" = u.r AND p."keyId" = u.k AND p."step" = u.s`,
    [r, k, s],
  );
  for (const row of rows) out.set(`${row.r}:${row.k}:${row.step}`, { step: row.step, value: row.value, epoch: row.epoch, time: row.t });
  return out;
}
