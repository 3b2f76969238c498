import type { LogBatchInput, LogBatchOutput, MetricStat } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { decodeMetricStats } from "../run/to-run";
import { AppError } from "../shared/app-error";
import { toJsonSafe } from "../shared/json";
import type { PoolClient } from "../shared/pg-types";
import { mergeMetricStat } from "./metric-stats";
import { resolveMetricKeys } from "./resolve-metric-keys";
import { nullableNumberArray, numberArray } from "./sql-arrays";
import { tierBuckets, type Point } from "./tiers";

type IndexedPoint = Point & { index: number };

const sameValue = (a: number, b: number) => a === b || (a !== a && b !== b);

/**
 * Stores a batch of points in one transaction: all of it or none. Points already stored with the
 * same value are skipped (a retried batch); a different value for a stored (run, key, step) is a
 * CONFLICT naming the point. Tiers and Run.metricStats are updated in the same transaction, under
 * the run's row lock, so concurrent batches of one run serialize and stay consistent.
 */
export async function logMetrics(db: Db, input: LogBatchInput): Promise<LogBatchOutput> {
  const { byKey, duplicates: inBatchDuplicates } = groupPoints(input);
  if (byKey.size === 0) return { inserted: 0, duplicates: 0 };
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query<{ seq: number; projectId: string; metricStats: unknown }>(
      `SELECT "seq", "projectId", "metricStats" FROM "Run" WHERE "id" = $1 FOR UPDATE`,
      [input.runId],
    );
    const run = rows[0];
    if (!run) {
      throw new AppError("BAD_REQUEST", `expected an existing run id, got '${input.runId}'; create the run with run.create first`, { field: "runId" });
    }
    const keys = await resolveMetricKeys(db.pool, client, run.projectId, [...byKey.keys()]);
    const stats = decodeMetricStats(run.metricStats);
    const storedDuplicates = await dropStoredPoints(client, input.runId, run.seq, byKey, keys.ids, stats);
    const inserted = await insertPoints(client, run.seq, byKey, keys.ids);
    if (inserted > 0) {
      await upsertTiers(client, run.seq, byKey, keys.ids);
      for (const [key, points] of byKey) if (points.length) stats[key] = mergeMetricStat(stats[key], points);
    }
    await client.query(
      `UPDATE "Run" SET "metricStats" = $2::jsonb, "heartbeatAt" = now(),
         "status" = CASE WHEN "status" = 'crashed' THEN 'running'::"RunStatus" ELSE "status" END
       WHERE "seq" = $1`,
      [run.seq, JSON.stringify(toJsonSafe(stats))],
    );
    await client.query("COMMIT");
    keys.commit();
    return { inserted, duplicates: inBatchDuplicates + storedDuplicates };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Points per key, sorted by step, a repeated (key, step) in the batch kept once. */
function groupPoints(input: LogBatchInput): { byKey: Map<string, IndexedPoint[]>; duplicates: number } {
  const now = Date.now();
  const byKey = new Map<string, IndexedPoint[]>();
  input.points.forEach((p, index) => {
    let list = byKey.get(p.key);
    if (!list) byKey.set(p.key, (list = []));
    const time = p.time === undefined ? now : typeof p.time === "number" ? p.time : p.time.getTime();
    list.push({ step: p.step, value: p.value, epoch: p.epoch ?? null, time, index });
  });
  let duplicates = 0;
  for (const [key, list] of byKey) {
    let sorted = true;
    for (let i = 1; i < list.length && sorted; i++) if (list[i].step <= list[i - 1].step) sorted = false;
    if (sorted) continue;
    list.sort((a, b) => a.step - b.step || a.index - b.index);
    const kept: IndexedPoint[] = [];
    for (const p of list) {
      const prev = kept[kept.length - 1];
      if (!prev || prev.step !== p.step) kept.push(p);
      else if (sameValue(prev.value, p.value)) duplicates++;
      else {
        throw new AppError(
          "BAD_REQUEST",
          `points[${prev.index}] and points[${p.index}] both set key '${key}' step ${p.step} (${prev.value} vs ${p.value}); send one value per step`,
          { field: `points[${p.index}]` },
        );
      }
    }
    byKey.set(key, kept);
  }
  return { byKey, duplicates };
}

/**
 * Removes points that are already stored. Only steps inside a key's stored step range can be, so
 * a run that logs forward (the usual case) costs no lookup at all.
 */
async function dropStoredPoints(
  client: PoolClient,
  runId: string,
  runSeq: number,
  byKey: Map<string, IndexedPoint[]>,
  keyIds: Map<string, number>,
  stats: Record<string, MetricStat>,
): Promise<number> {
  const ks: number[] = [];
  const ss: number[] = [];
  for (const [key, points] of byKey) {
    const s = stats[key];
    if (!s) continue;
    for (const p of points) {
      if (p.step >= s.firstStep && p.step <= s.lastStep) {
        ks.push(keyIds.get(key)!);
        ss.push(p.step);
      }
    }
  }
  if (ks.length === 0) return 0;
  const { rows } = await client.query<{ k: number; s: number; value: number }>(
    `SELECT u.k, u.s, p."value" FROM unnest($2::int[], $3::int[]) AS u(k, s)
     JOIN "MetricPoint" p ON p."runSeq" = $1 AND p."keyId" = u.k AND p."step" = u.s`,
    [runSeq, numberArray(ks), numberArray(ss)],
  );
  if (rows.length === 0) return 0;
  const stored = new Map(rows.map((r) => [`${r.k}:${r.s}`, r.value]));
  let duplicates = 0;
  for (const [key, points] of byKey) {
    const id = keyIds.get(key)!;
    const kept: IndexedPoint[] = [];
    for (const p of points) {
      const old = stored.get(`${id}:${p.step}`);
      if (old === undefined) kept.push(p);
      else if (sameValue(old, p.value)) duplicates++;
      else {
        throw new AppError(
          "CONFLICT",
          `run '${runId}' key '${key}' step ${p.step} is already stored with value ${old}, got ${p.value} (points[${p.index}]); metrics are append-only, so log it under a new step or key`,
          { field: `points[${p.index}]`, details: { runId, key, step: p.step, stored: old, sent: p.value } },
        );
      }
    }
    byKey.set(key, kept);
  }
  return duplicates;
}

async function insertPoints(client: PoolClient, runSeq: number, byKey: Map<string, IndexedPoint[]>, keyIds: Map<string, number>): Promise<number> {
  const k: number[] = [];
  const s: number[] = [];
  const v: number[] = [];
  const e: (number | null)[] = [];
  const t: number[] = [];
  for (const [key, points] of byKey) {
    const id = keyIds.get(key)!;
    for (const p of points) {
      k.push(id);
      s.push(p.step);
      v.push(p.value);
      e.push(p.epoch);
      t.push(p.time);
    }
  }
  if (k.length === 0) return 0;
  const result = await client.query(
    `INSERT INTO "MetricPoint" ("runSeq", "keyId", "step", "value", "epoch", "time")
     SELECT $1, u.k, u.s, u.v, u.e, to_timestamp(u.t / 1000.0)
     FROM unnest($2::int[], $3::int[], $4::float8[], $5::real[], $6::float8[]) AS u(k, s, v, e, t)`,
    [runSeq, numberArray(k), numberArray(s), numberArray(v), nullableNumberArray(e), numberArray(t)],
  );
  return result.rowCount ?? k.length;
}

// The merge keeps the better point per tier-ordering in tiers.ts: min by (value, step) with NaN
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

async function upsertTiers(client: PoolClient, runSeq: number, byKey: Map<string, IndexedPoint[]>, keyIds: Map<string, number>): Promise<void> {
  const cols: number[][] = Array.from({ length: 12 }, () => []);
  const epochs: [(number | null)[], (number | null)[]] = [[], []];
  for (const [key, points] of byKey) {
    if (points.length === 0) continue;
    const id = keyIds.get(key)!;
    for (const { level, buckets } of tierBuckets(points)) {
      for (const b of buckets) {
        cols[0].push(id);
        cols[1].push(level);
        cols[2].push(b.bucket);
        cols[3].push(b.count);
        cols[4].push(b.min.step);
        cols[5].push(b.min.value);
        epochs[0].push(b.min.epoch);
        cols[7].push(b.min.time);
        cols[8].push(b.max.step);
        cols[9].push(b.max.value);
        epochs[1].push(b.max.epoch);
        cols[11].push(b.max.time);
      }
    }
  }
  const params = cols.map((c, i) => (i === 6 ? nullableNumberArray(epochs[0]) : i === 10 ? nullableNumberArray(epochs[1]) : numberArray(c)));
  await client.query(UPSERT_TIERS, [runSeq, ...params]);
}
