import { MAX_METRIC_KEYS_PER_RUN, type LogBatchInput, type LogBatchOutput, type MetricStat, type RejectedPoint } from "@finetrack/contracts";
import { beginWithRunLock, copyPointRows, readStoredValues, saveIngestedStats, type Db, type ResolvedRun } from "@finetrack/db";
import { getRunProjects } from "../run/get-run-project";
import { decodeMetricStats } from "../run/to-run";
import { AppError } from "../shared/app-error";
import { toJsonSafe } from "../shared/json";
import type { PoolClient } from "../shared/pg-types";
import { mergeMetricStat } from "./metric-stats";
import { resolveMetricKeys } from "./resolve-metric-keys";
import type { Point } from "./tiers";
import { writeTiers } from "./write-tiers";

/** An input point normalized in place (time in ms, epoch null when absent): no copy per point. */
type IndexedPoint = Point & { key: string };

const sameValue = (a: number, b: number) => a === b || (a !== a && b !== b);

/**
 * Stores a batch of points in one transaction: all of it or none. Points already stored with the
 * same value are skipped (a retried batch); a different value for a stored (run, key, step) is a
 * CONFLICT naming the point. Tiers and Run.metricStats are updated in the same transaction, under
 * the run's row lock, so concurrent batches of one run serialize and stay consistent.
 * The points are normalized in place (time in ms, epoch null when absent) rather than copied.
 */
export async function logMetrics(
  db: Db,
  input: LogBatchInput,
  options: {
    /** Throws to refuse the run's project (access control), before anything is written. */
    authorize?: (projectId: string) => void;
    /** The run as the request already resolved it (authorization): locked by its seq, not looked up again. */
    run?: ResolvedRun;
    /**
     * Runs in the batch transaction under the run's row lock, before the points are grouped: it may
     * rewrite `input.points` and write other rows of the same request (the MLflow API's params,
     * tags and step placement), so that all of it commits or none.
     */
    prepare?: (client: PoolClient, run: { seq: number; projectId: string; stats: Record<string, MetricStat> }) => Promise<void>;
  } = {},
): Promise<LogBatchOutput> {
  let grouped = options.prepare ? null : groupPoints(input);
  if (grouped && grouped.byKey.size === 0) return { inserted: 0, duplicates: 0 };
  // Run ids are unique per project: a caller that has not resolved the run (CLI, tests) looks it up in every project.
  const known = options.run ?? (await getRunProjects(db, [input.runId], { field: "runId", code: "BAD_REQUEST" })).get(input.runId)!;
  const client = await db.pool.connect();
  try {
    const run = await beginWithRunLock(client, known.seq).then((r) => r && { ...r, seq: known.seq, projectId: known.projectId });
    if (!run) {
      throw new AppError("BAD_REQUEST", `expected an existing run id, got '${input.runId}'; create the run with run.create first`, { field: "runId" });
    }
    options.authorize?.(run.projectId);
    const stats = decodeMetricStats(run.metricStats);
    if (options.prepare) await options.prepare(client, { seq: run.seq, projectId: run.projectId, stats });
    grouped ??= groupPoints(input);
    const { byKey, duplicates: inBatchDuplicates } = grouped;
    refuseKeysOverLimit(input, byKey, stats);
    const keys = await resolveMetricKeys(db.pool, client, run.projectId, [...byKey.keys()]);
    const storedDuplicates = await dropStoredPoints(client, input, run.seq, byKey, keys.ids, stats);
    const curves = [...byKey].map(([key, points]) => ({ key, keyId: keys.ids.get(key)!, points, stat: stats[key] }));
    // Tiers first: a curve growing into a new tier level reads its few stored points before these join them.
    await writeTiers(client, run.seq, curves);
    const inserted = await copyPointRows(client, run.seq, curves);
    if (inserted > 0) {
      for (const { key, points } of curves) if (points.length) stats[key] = mergeMetricStat(stats[key], points);
    }
    await saveIngestedStats(client, run.seq, JSON.stringify(toJsonSafe(stats)));
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
  for (const raw of input.points) {
    const p = raw as unknown as IndexedPoint;
    p.time = raw.time === undefined ? now : typeof raw.time === "number" ? raw.time : raw.time.getTime();
    if (raw.epoch === undefined) p.epoch = null;
    let list = byKey.get(p.key);
    if (!list) byKey.set(p.key, (list = []));
    list.push(p);
  }
  const at = indexOf(input);
  const rejected: RejectedPoint[] = [];
  let first: [IndexedPoint, IndexedPoint] | undefined;
  let duplicates = 0;
  for (const [key, list] of byKey) {
    let sorted = true;
    for (let i = 1; i < list.length && sorted; i++) if (list[i].step <= list[i - 1].step) sorted = false;
    if (sorted) continue;
    list.sort((a, b) => a.step - b.step); // stable: among equal steps the first sent comes first
    const kept: IndexedPoint[] = [];
    for (const p of list) {
      const prev = kept[kept.length - 1];
      if (!prev || prev.step !== p.step) kept.push(p);
      else if (sameValue(prev.value, p.value)) duplicates++;
      else {
        first ??= [prev, p];
        rejected.push({ index: at(p), key, step: p.step, field: `points.${at(p)}.value`, message: `expected one value per step: points[${at(prev)}] sets ${prev.value}, this ${p.value}` });
      }
    }
    byKey.set(key, kept);
  }
  if (first) {
    const [prev, p] = first;
    throw new AppError(
      "BAD_REQUEST",
      `points[${at(prev)}] and points[${at(p)}] both set key '${p.key}' step ${p.step} (${prev.value} vs ${p.value}); send one value per step${more(rejected)}`,
      { field: `points[${at(p)}]`, details: { rejected } },
    );
  }
  return { byKey, duplicates };
}

/**
 * Removes points that are already stored. Only steps inside a key's stored step range can be, so
 * a run that logs forward (the usual case) costs no lookup at all.
 */
async function dropStoredPoints(
  client: PoolClient,
  input: LogBatchInput,
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
  const rows = await readStoredValues(client, runSeq, ks, ss);
  if (rows.length === 0) return 0;
  const stored = new Map(rows.map((r) => [`${r.k}:${r.s}`, r.value]));
  const at = indexOf(input);
  const rejected: RejectedPoint[] = [];
  let conflict: { key: string; p: IndexedPoint; old: number } | undefined;
  let duplicates = 0;
  for (const [key, points] of byKey) {
    const id = keyIds.get(key)!;
    const kept: IndexedPoint[] = [];
    for (const p of points) {
      const old = stored.get(`${id}:${p.step}`);
      if (old === undefined) kept.push(p);
      else if (sameValue(old, p.value)) duplicates++;
      else {
        conflict ??= { key, p, old };
        rejected.push({ index: at(p), key, step: p.step, field: `points.${at(p)}.value`, message: `already stored with value ${old}; metrics are append-only` });
      }
    }
    byKey.set(key, kept);
  }
  if (conflict) {
    const { key, p, old } = conflict;
    const index = at(p);
    const runId = input.runId;
    throw new AppError(
      "CONFLICT",
      `run '${runId}' key '${key}' step ${p.step} is already stored with value ${old}, got ${p.value} (points[${index}]); metrics are append-only, so log it under a new step or key${more(rejected)}`,
      { field: `points[${index}]`, details: { runId, key, step: p.step, stored: old, sent: p.value, rejected } },
    );
  }
  return duplicates;
}

/** Index of a point in the batch, by identity (the points were normalized in place); built once, on the first error. */
function indexOf(input: LogBatchInput): (p: IndexedPoint) => number {
  let index: Map<unknown, number> | undefined;
  return (p) => (index ??= new Map(input.points.map((q, i) => [q, i]))).get(p) ?? -1;
}

const more = (rejected: RejectedPoint[]) => (rejected.length > 1 ? ` (and ${rejected.length - 1} more points, listed in data.rejected)` : "");

/**
 * A run holds at most MAX_METRIC_KEYS_PER_RUN keys: new keys past it are refused, every one of their
 * points listed (the batch is refused whole; the client drops those and resends the rest).
 */
function refuseKeysOverLimit(input: LogBatchInput, byKey: Map<string, IndexedPoint[]>, stats: Record<string, MetricStat>): void {
  let room = MAX_METRIC_KEYS_PER_RUN - Object.keys(stats).length;
  const refused: string[] = [];
  for (const key of byKey.keys()) {
    if (key in stats) continue;
    if (room > 0) room--;
    else refused.push(key);
  }
  if (refused.length === 0) return;
  const at = indexOf(input);
  const rejected: RejectedPoint[] = [];
  for (const key of refused) {
    for (const p of byKey.get(key)!) rejected.push({ index: at(p), key, step: p.step, field: `points.${at(p)}.key`, message: `expected at most ${MAX_METRIC_KEYS_PER_RUN} metric keys per run` });
  }
  rejected.sort((a, b) => a.index - b.index);
  throw new AppError(
    "BAD_REQUEST",
    `expected at most ${MAX_METRIC_KEYS_PER_RUN} metric keys per run; run '${input.runId}' has ${Object.keys(stats).length} and this batch adds ${refused.length} more than fit (first: '${refused[0]}'); log fewer distinct keys`,
    { field: `points[${rejected[0].index}].key`, details: { rejected } },
  );
}
