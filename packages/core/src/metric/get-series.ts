import { DEFAULT_SERIES_POINTS, type Series, type SeriesOutput } from "@finetrack/contracts";
import { readCurveStats, readPointsAt, readRawCurves, readTierCurves, type Db, type ResolvedRun } from "@finetrack/db";
import { getRunProjects } from "../run/get-run-project";
import { decodeMetricStats } from "../run/to-run";
import { bucketize, levelFor, maxBucketsFor, MIN_TIER_LEVEL, samplePoints, type Point } from "./tiers";

type Curve = { runId: string; key: string; seq: number; keyId: number; total: number; firstStep: number; lastStep: number };
type Plan = Curve & { level: number; mode: "raw" | "bucket-raw" | "tier" };

/**
 * Curves of `keys` for `runIds`, each at most `maxPoints` long: the first and last point and every
 * bucket's min and max. Long curves are read from MetricTier, so the rows read per curve stay near
 * maxPoints however many steps a run has. `known`: runs the request already resolved.
 */
export async function getSeries(db: Db, input: { runIds: string[]; keys: string[]; maxPoints?: number }, known?: Map<string, ResolvedRun>): Promise<SeriesOutput> {
  const maxPoints = input.maxPoints ?? DEFAULT_SERIES_POINTS;
  const runById = await getRunProjects(db, input.runIds, { field: "runIds" }, known);
  const curveStats = await readCurveStats(db.pool, [...new Set(input.runIds.map((id) => runById.get(id)!.seq))], input.keys);
  const out: Series[] = [];
  const plans: (Plan | null)[] = [];
  for (const runId of input.runIds) {
    const run = runById.get(runId)!;
    const read = curveStats.get(run.seq);
    const stats = decodeMetricStats(read?.stats);
    const keyIds = new Map(Object.entries(read?.keyIds ?? {}));
    for (const key of input.keys) {
      const stat = stats[key];
      const keyId = keyIds.get(key);
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
  const ends = tier.flatMap((c) => [{ seq: c.seq, keyId: c.keyId, step: c.firstStep }, { seq: c.seq, keyId: c.keyId, step: c.lastStep }]);
  const [rawCurves, tierCurves, endPoints] = await Promise.all([readRawCurves(db.pool, raw), readTierCurves(db.pool, tier), readPointsAt(db.pool, ends)]);
  for (const p of raw) {
    const points = rawCurves.get(p.i) ?? [];
    const sampled = p.mode === "bucket-raw" && points.length > 0;
    fill(out[p.i], sampled ? samplePoints(points[0], points[points.length - 1], bucketize(points, p.level)) : points, sampled);
  }
  for (const p of tier) {
    const first = endPoints.get(`${p.seq}:${p.keyId}:${p.firstStep}`);
    const last = endPoints.get(`${p.seq}:${p.keyId}:${p.lastStep}`);
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
