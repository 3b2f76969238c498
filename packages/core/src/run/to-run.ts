import { MAX_RUN_METRIC_STATS, type MetricStat, type Run } from "@finetrack/contracts";
import type { Prisma } from "@finetrack/db";
import { asRecord, fromJsonNumber } from "../shared/json";

export const runInclude = { dataset: true } as const;
export type RunRow = Prisma.RunGetPayload<{ include: typeof runInclude }>;

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

export function toRun(row: RunRow): Run {
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
    metricStats: decodeMetricStats(row.metricStats, MAX_RUN_METRIC_STATS),
    metricKeyCount: Object.keys(asRecord(row.metricStats)).length,
    error: row.error,
    parentRunId: row.parentRunId,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    heartbeatAt: row.heartbeatAt,
    updatedAt: row.updatedAt,
  };
}
