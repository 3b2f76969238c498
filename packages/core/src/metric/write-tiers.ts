import type { MetricStat } from "@finetrack/contracts";
import { copyTierRows, readKeyPoints, readTierBuckets, upsertTierRows, type TierRow } from "@finetrack/db";
import type { PoolClient } from "../shared/pg-types";
import { bucketize, MIN_TIER_LEVEL, mergeBuckets, tierBuckets, topTierLevel, type Bucket, type Point } from "./tiers";

type Curve = { keyId: number; points: Point[]; stat?: MetricStat };

/**
 * Folds new points (not yet stored: call before copying them) into MetricTier, levels
 * MIN_TIER_LEVEL..topTierLevel of the curve's new step range only (see tiers.ts). A bucket outside
 * the key's stored step range (`stat`, read under the run lock) cannot exist yet, so it is COPYed;
 * only the few buckets that may already hold points (usually one per level at the end of the curve)
 * need an upsert. A level the curve grows into starts from the old curve's summary: its top level's
 * single bucket, or its few raw points when it had no tier yet.
 */
export async function writeTiers(client: PoolClient, runSeq: number, curves: Curve[]): Promise<void> {
  const fresh: TierRow[] = [];
  const merge: TierRow[] = [];
  const replace: TierRow[] = [];
  const summaries = await oldSummaries(client, runSeq, curves);
  for (const { keyId, points, stat } of curves) {
    if (points.length === 0) continue;
    const first = Math.min(points[0].step, stat?.firstStep ?? Infinity);
    const last = Math.max(points[points.length - 1].step, stat?.lastStep ?? -Infinity);
    const topOld = stat ? topTierLevel(stat.firstStep, stat.lastStep) : MIN_TIER_LEVEL - 1;
    for (const { level, buckets } of tierBuckets(points, topTierLevel(first, last))) {
      const lo = stat ? stat.firstStep >>> level : Infinity;
      const hi = stat ? stat.lastStep >>> level : -Infinity;
      const grown = stat && level > topOld ? summaries.get(keyId) : undefined;
      if (grown) {
        // The old curve is one bucket at this level (lo === hi); merge it with the new points' own.
        const old = { ...grown, bucket: lo };
        const same = buckets.find((b) => b.bucket === lo);
        replace.push({ keyId, level, b: same ? mergeBuckets(old, same) : old });
        for (const b of buckets) if (b.bucket !== lo) fresh.push({ keyId, level, b });
        continue;
      }
      for (const b of buckets) (b.bucket < lo || b.bucket > hi ? fresh : merge).push({ keyId, level, b });
    }
  }
  await copyTierRows(client, runSeq, fresh);
  await upsertTierRows(client, runSeq, merge, "merge");
  await upsertTierRows(client, runSeq, replace, "replace");
}

/**
 * The stored curve as one bucket, for each curve that grows into levels it had no rows for: read
 * from its top tier level (where it is one bucket), or from its raw points (at most 8) when it had
 * no tier level yet.
 */
async function oldSummaries(client: PoolClient, runSeq: number, curves: Curve[]): Promise<Map<number, Bucket>> {
  const out = new Map<number, Bucket>();
  const fromTier: { keyId: number; level: number; bucket: number }[] = [];
  const fromRaw: number[] = [];
  for (const { keyId, points, stat } of curves) {
    if (!stat || points.length === 0) continue;
    const topOld = topTierLevel(stat.firstStep, stat.lastStep);
    const topNew = topTierLevel(Math.min(points[0].step, stat.firstStep), Math.max(points[points.length - 1].step, stat.lastStep));
    if (topNew <= topOld || topNew < MIN_TIER_LEVEL) continue;
    if (topOld >= MIN_TIER_LEVEL) fromTier.push({ keyId, level: topOld, bucket: stat.firstStep >>> topOld });
    else fromRaw.push(keyId);
  }
  for (const [k, bucket] of await readTierBuckets(client, runSeq, fromTier)) out.set(k, bucket);
  const byKey = await readKeyPoints(client, runSeq, fromRaw);
  // Within 8 steps, so one bucket at any tier level.
  for (const [k, points] of byKey) out.set(k, bucketize(points, 31)[0]);
  return out;
}
