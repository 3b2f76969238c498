import { MAX_RUN_METRIC_STATS, type MetricStat, type Run } from "@finetrack/contracts";
import type { Prisma, RunRecord } from "@finetrack/db";
import { asRecord, fromJsonNumber } from "../shared/json";

export const runInclude = { dataset: true } as const;
export type RunRow = Prisma.RunGetPayload<{ include: typeof runInclude }>;
/** The first `maxKeys` metric keys' statistics of a run (byte order of key names), and how many it has. */
export type MetricStatsPage = { stats: unknown; count: number };

/** A Run from db's run record (read without the whole metricStats: a run of 10,000 keys holds ~1.5 MB of them). */
export function recordToRun(record: RunRecord): Run {
  const { stats, statsCount, ...row } = record;
  // The record's text columns (status, baseModelParams as text) are what toRun reads them as.
  return toRun(row as unknown as Omit<RunRow, "metricStats">, { stats, count: statsCount });
}

/** Every key's statistics, in a null-prototype record: a metric named `toString` or `__proto__` is just a key. */
export function decodeMetricStats(value: unknown, maxKeys = Infinity): Record<string, MetricStat> {
  const out: Record<string, MetricStat> = Object.create(null);
  let entries = Object.entries(asRecord(value));
  if (entries.length > maxKeys) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, maxKeys);
  for (const [key, raw] of entries) {
    const s = asRecord(raw);
    out[key] = {
      count: fromJsonNumber(s.count),
      first: fromJsonNumber(s.first),
      firstStep: fromJsonNumber(s.firstStep),
      last: fromJsonNumber(s.last),
      lastStep: fromJsonNumber(s.lastStep),
      min: fromJsonNumber(s.min),
      minStep: fromJsonNumber(s.minStep),
      max: fromJsonNumber(s.max),
      maxStep: fromJsonNumber(s.maxStep),
    };
  }
  return out;
}

/** A Run from its row; `page` (readMetricStats) when the row was read without metricStats. */
export function toRun(row: Omit<RunRow, "metricStats"> & { metricStats?: unknown }, page?: MetricStatsPage): Run {
  return {
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    group: row.group,
    status: row.status,
    baseModel: row.baseModel,
    baseModelParams: row.baseModelParams === null ? null : Number(row.baseModelParams),
    datasetId: row.datasetId,
    dataset: row.dataset,
    method: row.method,
    config: asRecord(row.config),
    tags: row.tags,
    notes: row.notes,
    seed: row.seed,
    system: asRecord(row.system),
    summary: asRecord(row.summary),
    metricStats: decodeMetricStats(page ? page.stats : row.metricStats, MAX_RUN_METRIC_STATS),
    metricKeyCount: page ? page.count : Object.keys(asRecord(row.metricStats)).length,
    error: row.error,
    parentRunId: row.parentRunId,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    heartbeatAt: row.heartbeatAt,
    updatedAt: row.updatedAt,
  };
}
