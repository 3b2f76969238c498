import type { MetricStat } from "@finetrack/contracts";
import type { PoolClient } from "../shared/pg-types";
import { BinaryCopyWriter } from "./binary-copy";
import { copyFromStdin } from "./copy-from-stdin";
import { nullableNumberArray, numberArray } from "./sql-arrays";
import { tierBuckets, type Bucket, type Point } from "./tiers";

// The merge keeps the better point per the ordering in tiers.ts: min by (value, step) with NaN
// last, which is Postgres' own float8 order; max by (not NaN, value, -step).
const MIN_WINS = `(excluded."minValue", excluded."minStep") < (t."minValue", t."minStep")`;
const MAX_WINS = `(excluded."maxValue" <> 'NaN', excluded."maxValue", -excluded."maxStep") > (t."maxValue" <> 'NaN', t."maxValue", -t."maxStep")`;
const pick = (wins: string, col: string) => `"${col}" = CASE WHEN ${wins} THEN excluded."${col}" ELSE t."${col}" END`;
const UPSERT_TIERS = `INSERT INTO "MetricTier" AS t ("runSeq", "keyId", "level", "bucket", "count",
    "minStep", "minValue", "minEpoch", "minTime", "maxStep", "maxValue", "maxEpoch", "maxTime")
  SELECT $1, u.k, u.l, u.b, u.c, u.mins, u.minv, u.mine, to_timestamp(u.mint / 1000.0), u.maxs, u.maxv, u.maxe, to_timestamp(u.maxt / 1000.0)
  FROM unnest($2::int[], $3::int2[], $4::int[], $5::int[], $6::int[], $7::float8[], $8::real[], $9::float8[],
              $10::int[], $11::float8[], $12::real[], $13::float8[])
    AS u(k, l, b, c, mins, minv, mine, mint, maxs, maxv, maxe, maxt)
  ON CONFLICT ("runSeq", "keyId", "level", "bucket") DO UPDATE SET "count" = t."count" + excluded."count",
    ${["minStep", "minValue", "minEpoch", "minTime"].map((c) => pick(MIN_WINS, c)).join(", ")},
    ${["maxStep", "maxValue", "maxEpoch", "maxTime"].map((c) => pick(MAX_WINS, c)).join(", ")}`;

type Row = { keyId: number; level: number; b: Bucket };

/**
 * Folds newly stored points into MetricTier. A bucket outside the key's stored step range
 * (`stat`, read under the run lock) cannot exist yet, so it is COPYed; only the few buckets that
 * may already hold points (usually one per level at the end of the curve) need an upsert.
 */
export async function writeTiers(client: PoolClient, runSeq: number, curves: { keyId: number; points: Point[]; stat?: MetricStat }[]): Promise<void> {
  const fresh: Row[] = [];
  const merge: Row[] = [];
  for (const { keyId, points, stat } of curves) {
    if (points.length === 0) continue;
    for (const { level, buckets } of tierBuckets(points)) {
      const lo = stat ? stat.firstStep >>> level : Infinity;
      const hi = stat ? stat.lastStep >>> level : -Infinity;
      for (const b of buckets) (b.bucket < lo || b.bucket > hi ? fresh : merge).push({ keyId, level, b });
    }
  }
  if (fresh.length > 0) {
    const w = new BinaryCopyWriter(fresh.length * 140);
    for (const { keyId, level, b } of fresh) {
      w.row(13).int4(runSeq).int4(keyId).int2(level).int4(b.bucket).int4(b.count)
        .int4(b.min.step).float8(b.min.value).float4OrNull(b.min.epoch).timestampMs(b.min.time)
        .int4(b.max.step).float8(b.max.value).float4OrNull(b.max.epoch).timestampMs(b.max.time);
    }
    await copyFromStdin(
      client,
      `COPY "MetricTier" ("runSeq", "keyId", "level", "bucket", "count", "minStep", "minValue", "minEpoch", "minTime", "maxStep", "maxValue", "maxEpoch", "maxTime") FROM STDIN (FORMAT binary)`,
      w.finish(),
    );
  }
  if (merge.length > 0) {
    const col = (f: (r: Row) => number) => numberArray(merge.map(f));
    const nullable = (f: (r: Row) => number | null) => nullableNumberArray(merge.map(f));
    await client.query(UPSERT_TIERS, [
      runSeq, col((r) => r.keyId), col((r) => r.level), col((r) => r.b.bucket), col((r) => r.b.count),
      col((r) => r.b.min.step), col((r) => r.b.min.value), nullable((r) => r.b.min.epoch), col((r) => r.b.min.time),
      col((r) => r.b.max.step), col((r) => r.b.max.value), nullable((r) => r.b.max.epoch), col((r) => r.b.max.time),
    ]);
  }
}
