/**
 * One logged value of a metric curve.
 * - `step`: the x axis (optimizer step); any finite number, need not be an integer.
 * - `value`: the metric; NaN and ±Infinity are allowed and kept (a `null`, as JSON carries NaN, is read as NaN).
 * - `time`: optional wall-clock seconds (any origin, e.g. Unix seconds); used for "time saved".
 * - `epoch`: optional epoch (fractional allowed); used to phrase advice in epochs.
 */
export interface SeriesPoint {
  step: number;
  value: number;
  time?: number;
  epoch?: number;
}

/** A curve: points in any order (they are sorted by step where order matters). */
export type Series = readonly SeriesPoint[];

/** Columnar form of a curve (what `metric.series` returns); `toSeries` converts it. */
export interface SeriesColumns {
  step: ArrayLike<number>;
  value: ArrayLike<number | null>;
  time?: ArrayLike<number | null> | null;
  epoch?: ArrayLike<number | null> | null;
}
