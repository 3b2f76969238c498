import type pg from "pg";
import { BinaryCopyWriter } from "./binary-copy";
import { copyFromStdin } from "./copy-from-stdin";
import type { Queryable } from "./runs";
import { numberArray } from "./sql-arrays";

/** One stored metric point; `time` in ms since the epoch. */
export type StoredPoint = { step: number; value: number; epoch: number | null; time: number };
/** A tier bucket's extremes, in bucket order. */
export type StoredBucket = { bucket: number; count: number; min: StoredPoint; max: StoredPoint };
/** One curve to read: run seq, key id, and `i`, the caller's index for it. */
export type CurveRef = { seq: number; keyId: number; i: number };

const MS = (col: string) => `round(date_part('epoch', ${col}) * 1000)`;

/** Postgres array text (`{1,NaN,NULL}`) to numbers; NaN and ±Infinity parse as such. */
function parseArray(text: string): (number | null)[] {
  if (text.length <= 2) return [];
  return text.slice(1, -1).split(",").map((x) => (x === "NULL" ? null : Number(x)));
}

/** Every stored point of each curve in step order, by the curve's `i` (arrays as text: no row per point). */
export async function readRawCurves(db: Queryable, curves: CurveRef[]): Promise<Map<number, StoredPoint[]>> {
  const out = new Map<number, StoredPoint[]>();
  if (curves.length === 0) return out;
  const { rows } = await db.query<{ i: number; s: string; v: string; e: string; t: string }>(
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

/** The buckets of each curve at its `level`, in bucket order, by the curve's `i`. */
export async function readTierCurves(db: Queryable, curves: (CurveRef & { level: number })[]): Promise<Map<number, StoredBucket[]>> {
  const out = new Map<number, StoredBucket[]>();
  if (curves.length === 0) return out;
  const cols = ["minStep", "minValue", "minEpoch", "maxStep", "maxValue", "maxEpoch"];
  const { rows } = await db.query<Record<string, string> & { i: number }>(
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

/** The points at the given (run seq, key id, step)s, keyed `seq:keyId:step` (a tiered curve's first and last point). */
export async function readPointsAt(db: Queryable, at: { seq: number; keyId: number; step: number }[]): Promise<Map<string, StoredPoint>> {
  const out = new Map<string, StoredPoint>();
  if (at.length === 0) return out;
  const { rows } = await db.query<{ r: number; k: number; step: number; value: number; epoch: number | null; t: number }>(
    `SELECT p."runSeq" AS r, p."keyId" AS k, p."step", p."value", p."epoch", ${MS(`p."time"`)} AS t
     FROM unnest($1::int[], $2::int[], $3::int[]) AS u(r, k, s)
     JOIN "MetricPoint" p ON p."runSeq" = u.r AND p."keyId" = u.k AND p."step" = u.s`,
    [at.map((a) => a.seq), at.map((a) => a.keyId), at.map((a) => a.step)],
  );
  for (const row of rows) out.set(`${row.r}:${row.k}:${row.step}`, { step: row.step, value: row.value, epoch: row.epoch, time: row.t });
  return out;
}

/** A page of one curve's points after `afterStep`, in step order, by the run's project and the key's name. */
export async function readPointsPage(db: Queryable, run: { seq: number; projectId: string }, key: string, afterStep: number, limit: number): Promise<StoredPoint[]> {
  const { rows } = await db.query<StoredPoint>(
    `SELECT p."step", p."value", p."epoch", ${MS(`p."time"`)} AS "time"
     FROM "MetricKey" k JOIN "MetricPoint" p ON p."runSeq" = $1 AND p."keyId" = k."id"
     WHERE k."projectId" = $2 AND k."name" = $3 AND p."step" > $4
     ORDER BY p."step" LIMIT $5`,
    [run.seq, run.projectId, key, afterStep, limit],
  );
  return rows;
}

/** Stored values at the given (key id, step)s of one run (ingest: which points of a batch are retries). */
export async function readStoredValues(db: Queryable, seq: number, keyIds: number[], steps: number[]): Promise<{ k: number; s: number; value: number }[]> {
  const { rows } = await db.query<{ k: number; s: number; value: number }>(
    `SELECT u.k, u.s, p."value" FROM unnest($2::int[], $3::int[]) AS u(k, s)
     JOIN "MetricPoint" p ON p."runSeq" = $1 AND p."keyId" = u.k AND p."step" = u.s`,
    [seq, numberArray(keyIds), numberArray(steps)],
  );
  return rows;
}

/** Ids of the project's metric keys `names`, creating the missing ones (on the caller's transaction). */
export async function createMetricKeys(client: Queryable, projectId: string, names: string[]): Promise<{ id: number; name: string }[]> {
  await client.query(`INSERT INTO "MetricKey" ("projectId", "name") SELECT $1, unnest($2::text[]) ON CONFLICT ("projectId", "name") DO NOTHING`, [projectId, names]);
  const { rows } = await client.query<{ id: number; name: string }>(`SELECT "id", "name" FROM "MetricKey" WHERE "projectId" = $1 AND "name" = ANY($2::text[])`, [projectId, names]);
  return rows;
}

const POINT_ROW_BYTES = 2 + 8 + 8 + 8 + 12 + 8 + 12;

/** Appends the points of each key with one binary COPY; returns how many. */
export async function copyPointRows(client: pg.PoolClient, runSeq: number, curves: { keyId: number; points: StoredPoint[] }[]): Promise<number> {
  const n = curves.reduce((sum, c) => sum + c.points.length, 0);
  if (n === 0) return 0;
  const w = new BinaryCopyWriter(n * POINT_ROW_BYTES);
  for (const { keyId, points } of curves) {
    for (const p of points) w.row(6).int4(runSeq).int4(keyId).int4(p.step).float8(p.value).float4OrNull(p.epoch).timestampMs(p.time);
  }
  await copyFromStdin(client, `COPY "MetricPoint" ("runSeq", "keyId", "step", "value", "epoch", "time") FROM STDIN (FORMAT binary)`, w.finish());
  return n;
}
