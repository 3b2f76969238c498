import type pg from "pg";
import { BinaryCopyWriter } from "./binary-copy";
import { copyFromStdin } from "./copy-from-stdin";
import type { StoredBucket, StoredPoint } from "./metrics";
import { nullableNumberArray, numberArray } from "./sql-arrays";

/** One MetricTier row: a bucket of a key's curve at a level. */
export type TierRow = { keyId: number; level: number; b: StoredBucket };

// The merge keeps the better point per analysis's beatsMin/beatsMax, which is Postgres' own float8
// order (NaN above +Infinity, NaN = NaN): min by (value, step), max by (value, -step), so a bucket
// holding a NaN keeps it as its max.
const MIN_WINS = `(excluded."minValue", excluded."minStep") < (t."minValue", t."minStep")`;
const MAX_WINS = `(excluded."maxValue", -excluded."maxStep") > (t."maxValue", -t."maxStep")`;
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
/** For a level a curve grew into: the row is computed whole (a row left there by an older rule is replaced). */
const REPLACE_TIERS = `${INSERT_TIERS} ${COLUMNS.map((c) => `"${c}" = excluded."${c}"`).join(", ")}`;

const MS = (col: string) => `round(date_part('epoch', ${col}) * 1000)::float8`;

/** Rows that cannot exist yet (outside the key's stored step range), in one binary COPY. */
export async function copyTierRows(client: pg.PoolClient, runSeq: number, rows: TierRow[]): Promise<void> {
  if (rows.length === 0) return;
  const w = new BinaryCopyWriter(rows.length * 140);
  for (const { keyId, level, b } of rows) {
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

/** `merge`: fold into the stored bucket (counts add, the better min and max win); `replace`: overwrite it. */
export async function upsertTierRows(client: pg.PoolClient, runSeq: number, rows: TierRow[], mode: "merge" | "replace"): Promise<void> {
  if (rows.length === 0) return;
  const col = (f: (r: TierRow) => number) => numberArray(rows.map(f));
  const nullable = (f: (r: TierRow) => number | null) => nullableNumberArray(rows.map(f));
  await client.query(mode === "merge" ? UPSERT_TIERS : REPLACE_TIERS, [
    runSeq, col((r) => r.keyId), col((r) => r.level), col((r) => r.b.bucket), col((r) => r.b.count),
    col((r) => r.b.min.step), col((r) => r.b.min.value), nullable((r) => r.b.min.epoch), col((r) => r.b.min.time),
    col((r) => r.b.max.step), col((r) => r.b.max.value), nullable((r) => r.b.max.epoch), col((r) => r.b.max.time),
  ]);
}

/** The stored buckets at (key, level, bucket), by key id, `bucket` set to 0. */
export async function readTierBuckets(client: pg.PoolClient, runSeq: number, at: { keyId: number; level: number; bucket: number }[]): Promise<Map<number, StoredBucket>> {
  const out = new Map<number, StoredBucket>();
  if (at.length === 0) return out;
  const { rows } = await client.query<{ k: number; count: number; s0: number; v0: number; e0: number | null; t0: number; s1: number; v1: number; e1: number | null; t1: number }>(
    `SELECT t."keyId" AS k, t."count", t."minStep" AS s0, t."minValue" AS v0, t."minEpoch" AS e0, ${MS(`t."minTime"`)} AS t0,
            t."maxStep" AS s1, t."maxValue" AS v1, t."maxEpoch" AS e1, ${MS(`t."maxTime"`)} AS t1
     FROM unnest($2::int[], $3::int2[], $4::int[]) AS u(k, l, b)
     JOIN "MetricTier" t ON t."runSeq" = $1 AND t."keyId" = u.k AND t."level" = u.l AND t."bucket" = u.b`,
    [runSeq, numberArray(at.map((r) => r.keyId)), numberArray(at.map((r) => r.level)), numberArray(at.map((r) => r.bucket))],
  );
  for (const r of rows) {
    out.set(r.k, { bucket: 0, count: r.count, min: { step: r.s0, value: r.v0, epoch: r.e0, time: r.t0 }, max: { step: r.s1, value: r.v1, epoch: r.e1, time: r.t1 } });
  }
  return out;
}

/** Every stored point of the run's keys `keyIds`, by key id in step order (short curves only). */
export async function readKeyPoints(client: pg.PoolClient, runSeq: number, keyIds: number[]): Promise<Map<number, StoredPoint[]>> {
  const byKey = new Map<number, StoredPoint[]>();
  if (keyIds.length === 0) return byKey;
  const { rows } = await client.query<{ k: number; step: number; value: number; epoch: number | null; time: number }>(
    `SELECT "keyId" AS k, "step", "value", "epoch", ${MS(`"time"`)} AS "time" FROM "MetricPoint"
     WHERE "runSeq" = $1 AND "keyId" = ANY($2::int[]) ORDER BY "keyId", "step"`,
    [runSeq, numberArray(keyIds)],
  );
  for (const r of rows) {
    let list = byKey.get(r.k);
    if (!list) byKey.set(r.k, (list = []));
    list.push({ step: r.step, value: r.value, epoch: r.epoch, time: r.time });
  }
  return byKey;
}
