import type { MetricStat, Run } from "@finetrack/contracts";
import type { Prisma } from "@finetrack/db";
import { asRecord, fromJsonNumber } from "../shared/json";

export const runInclude = { dataset: true } as const;
export type RunRow = Prisma.RunGetPayload<{ include: typeof runInclude }>;

export function decodeMetricStats(value: unknown): Record<string, MetricStat> {
  const out: Record<string, MetricStat> = {};
  for (const [key, raw] of Object.entries(asRecord(value))) {
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
    metricStats: decodeMetricStats(row.metricStats),
    error: row.error,
    parentRunId: row.parentRunId,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    heartbeatAt: row.heartbeatAt,
    updatedAt: row.updatedAt,
  };
}
