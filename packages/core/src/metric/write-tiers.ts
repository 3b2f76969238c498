import type { MetricStat } from "@finetrack/contracts";
import type { PoolClient } from "../shared/pg-types";
import { BinaryCopyWriter } from "./binary-copy";
import { copyFromStdin } from "./copy-from-stdin";
import { nullableNumberArray, numberArray } from "@finetrack/db";
import { bucketize, MIN_TIER_LEVEL, mergeBuckets, tierBuckets, topTierLevel, type Bucket, type Point } from "./tiers";

// The merge keeps the better point per the ordering in tiers.ts: min by (value, step) with NaN
// last, which is Postgres' own float8 order; max by (not NaN, value, -step).
const MIN_WINS = `(excluded."minValue", excluded."minStep") < (t."minValue", t."minStep")`;
const MAX_WINS = `(excluded."maxValue" <> 'NaN', excluded."maxValue", -excluded."maxStep") > (t."maxValue" <> 'NaN', t."maxValue", -t."maxStep")`;
const pick = (wins: string, col: string) => `"${col}" = CASE WHEN ${wins} THEN excluded."${col}" ELSE t."${col}" END`;
const COLUMNS = ["count", "minStep", "minValue", "minEpoch", "minTime", "maxStep", "maxValue", "maxEpoch", "maxTime"];
const INSERT_TIERS = `INSERT INTO "MetricTier" AS t ("runSeq", "keyId", "level", "bucket", "count",
    "minStep", "minValue", "minEpoch", "minTime", "maxStep", "maxValue", "maxEpoch", "maxTime")
  SELECT $1, u.k, u.l, u.b, u.c, u.mins, u.minv, u.mine, to_timestamp(u.mint / 1000.0), u.maxs, u.maxv, u.maxe, to_timestamp(u.maxt / 1000.0)
  FROM unnest($2::int[], $3::int2[], $4::int[], $5::int[], $6::int[], $7::float8[], $8::real[], $9::float8[],
              $10::int[], $11::float8[], $12::real[], $13::float8[])
    AS u(k, l, b, c, mins, minv, mine, mint, maxs, maxv, maxe, maxt)
  ON CONFLICT ("runSeq", "keyId", "level", "bucket") DO UPDATE SET`;
const UPSERT_TIERS = `${INSERT_TIERS} "count" = t."count" + excluded."count",
    ${["minStep", "minValue", "minEpoch", "minTime"].map((c) => pick(MIN_WINS, c)).join(", ")},
    ${["maxStep", "maxValue", "maxEpoch", "maxTime"].map((c) => pick(MAX_WINS, c)).join(", ")}`;
/** For a level a curve grew into: the row is computed whole here (a row left there by an older rule is replaced). */
const REPLACE_TIERS = `${INSERT_TIERS} ${COLUMNS.map((c) => `"${c}" = excluded."${c}"`).join(", ")}`;

type Row = { keyId: number; level: number; b: Bucket };
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
  const fresh: Row[] = [];
  const merge: Row[] = [];
  const replace: Row[] = [];
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
  await upsert(client, UPSERT_TIERS, runSeq, merge);
  await upsert(client, REPLACE_TIERS, runSeq, replace);
}

async function upsert(client: PoolClient, sql: string, runSeq: number, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const col = (f: (r: Row) => number) => numberArray(rows.map(f));
  const nullable = (f: (r: Row) => number | null) => nullableNumberArray(rows.map(f));
  await client.query(sql, [
    runSeq, col((r) => r.keyId), col((r) => r.level), col((r) => r.b.bucket), col((r) => r.b.count),
    col((r) => r.b.min.step), col((r) => r.b.min.value), nullable((r) => r.b.min.epoch), col((r) => r.b.min.time),
    col((r) => r.b.max.step), col((r) => r.b.max.value), nullable((r) => r.b.max.epoch), col((r) => r.b.max.time),
  ]);
}

const MS = (col: string) => `round(date_part('epoch', ${col}) * 1000)::float8`;

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
  if (fromTier.length > 0) {
    const { rows } = await client.query<{ k: number; count: number; s0: number; v0: number; e0: number | null; t0: number; s1: number; v1: number; e1: number | null; t1: number }>(
      `SELECT t."keyId" AS k, t."count", t."minStep" AS s0, t."minValue" AS v0, t."minEpoch" AS e0, ${MS(`t."minTime"`)} AS t0,
              t."maxStep" AS s1, t."maxValue" AS v1, t."maxEpoch" AS e1, ${MS(`t."maxTime"`)} AS t1
       FROM unnest($2::int[], $3::int2[], $4::int[]) AS u(k, l, b)
       JOIN "MetricTier" t ON t."runSeq" = $1 AND t."keyId" = u.k AND t."level" = u.l AND t."bucket" = u.b`,
      [runSeq, numberArray(fromTier.map((r) => r.keyId)), numberArray(fromTier.map((r) => r.level)), numberArray(fromTier.map((r) => r.bucket))],
    );
    for (const r of rows) {
      out.set(r.k, { bucket: 0, count: r.count, min: { step: r.s0, value: r.v0, epoch: r.e0, time: r.t0 }, max: { step: r.s1, value: r.v1, epoch: r.e1, time: r.t1 } });
    }
  }
  if (fromRaw.length > 0) {
    const { rows } = await client.query<{ k: number; step: number; value: number; epoch: number | null; time: number }>(
      `SELECT "keyId" AS k, "step", "value", "epoch", ${MS(`"time"`)} AS "time" FROM "MetricPoint"
       WHERE "runSeq" = $1 AND "keyId" = ANY($2::int[]) ORDER BY "keyId", "step"`,
      [runSeq, numberArray(fromRaw)],
    );
    const byKey = new Map<number, Point[]>();
    for (const r of rows) {
      let list = byKey.get(r.k);
      if (!list) byKey.set(r.k, (list = []));
      list.push({ step: r.step, value: r.value, epoch: r.epoch, time: r.time });
    }
    // Within 8 steps, so one bucket at any tier level.
    for (const [k, points] of byKey) out.set(k, bucketize(points, 31)[0]);
  }
  return out;
}
