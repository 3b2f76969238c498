import type { RunFilter } from "@finetrack/contracts";

/** Most runs the table endpoint sends in one answer; past it the client narrows with a filter. */
export const MAX_TABLE_ROWS = 50_000;
/** Stored (compressed) bytes of config + summary + metricStats over the runs of one answer; later runs are left out. */
export const MAX_TABLE_BYTES = 64 * 1024 * 1024;
/** Metric statistics per run in the table (the first keys in JSONB order). */
export const MAX_TABLE_METRICS_PER_RUN = 200;
/** Rows × columns of one answer; columns past it are left out (`columnsTruncated`). */
export const MAX_TABLE_CELLS = 5_000_000;

/** Most config / summary / metric columns one table answer names in `columns`. */
export const MAX_TABLE_COLUMNS = 500;

export type RunRowsInput = {
  project: string;
  filter?: RunFilter;
  ids?: string[];
  limit?: number;
  /**
   * Only these config, summary and metric columns (`config.lr`, `metrics.val/loss.min`), with the
   * catalog of all of them; the run fields always come. Without `columns` or `defaults`, every column.
   */
  columns?: string[];
  /** Also the runs table's default columns, named in `defaultColumns`. */
  defaults?: boolean;
};

/** Every column the runs offer, by its key, first seen first: what the table's picker, filters and group-by list. */
export type RunColumnCatalog = {
  config: { key: string; numeric: boolean }[];
  summary: { key: string; numeric: boolean }[];
  metrics: string[];
};

export type Scalar = string | number | boolean | null;

/**
 * Per-metric statistics kept at ingest, column-wise (null where a run lacks the metric). An answer
 * to `columns` holds only the statistics asked for: the others are empty arrays.
 */
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
  /** With `columns` or `defaults`: every column the runs have, of which the answer holds the ones asked for. */
  catalog?: RunColumnCatalog;
  /** With `defaults`: the table's default columns (run fields by name, then `metrics.…` and `config.…` ids). */
  defaultColumns?: string[];
};
