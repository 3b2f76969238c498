import type { RunFilter } from "@finetrack/contracts";

/** Most runs the table endpoint sends in one answer; past it the client narrows with a filter. */
export const MAX_TABLE_ROWS = 50_000;
/** Stored (compressed) bytes of config + summary + metricStats over the runs of one answer; later runs are left out. */
export const MAX_TABLE_BYTES = 64 * 1024 * 1024;
/** Metric statistics per run in the table (the first keys in JSONB order). */
export const MAX_TABLE_METRICS_PER_RUN = 200;
/** Rows × columns of one answer; columns past it are left out (`columnsTruncated`). */
export const MAX_TABLE_CELLS = 5_000_000;

export type RunRowsInput = { project: string; filter?: RunFilter; ids?: string[]; limit?: number };

export type Scalar = string | number | boolean | null;

/** Per-metric statistics kept at ingest, column-wise (null where a run lacks the metric). */
export type MetricColumns = { min: (number | null)[]; max: (number | null)[]; last: (number | null)[] };

/**
 * Every matching run as columns (one array per field, same order), newest first. Column-wise
 * because 10,000 runs × dozens of config keys is megabytes as objects and a fraction as arrays.
 */
export type RunRows = {
  count: number;
  /** Runs were left out (row limit or byte budget): narrow the filter. */
  truncated: boolean;
  /** Config, summary or metric columns were left out (cell budget). */
  columnsTruncated: boolean;
  id: string[];
  name: string[];
  status: string[];
  baseModel: (string | null)[];
  dataset: (string | null)[];
  method: (string | null)[];
  group: (string | null)[];
  tags: string[][];
  parentRunId: (string | null)[];
  /** The run's seed (first-class field), null when not logged. */
  seed: (number | null)[];
  /** ms since the Unix epoch. */
  createdAt: number[];
  /** Seconds from start to finish, or to the last heartbeat while running. */
  durationSec: (number | null)[];
  /** Flattened config paths (`optimizer.lr`) to values; arrays and objects become JSON text. Null-prototype records. */
  config: Record<string, Scalar[]>;
  summary: Record<string, Scalar[]>;
  metrics: Record<string, MetricColumns>;
};
