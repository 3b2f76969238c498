import { AnalysisInputError } from "../errors";
import type { Series, SeriesColumns, SeriesPoint } from "./types";

/**
 * A validated curve in columns, sorted by step (stable). `time` / `epoch` have one entry per point
 * (NaN where a point lacks it) when any point carries them, and are empty otherwise.
 */
export interface Columns {
  step: Float64Array;
  value: Float64Array;
  time: Float64Array;
  epoch: Float64Array;
  hasTime: boolean;
  hasEpoch: boolean;
}

// The field name is only built on error: this runs once per point of 10⁵-point curves.
function optionalNumber(v: unknown, field: string, i: number, key: string): number {
  if (v === undefined || v === null) return NaN;
  if (typeof v !== "number") throw new AnalysisInputError(`${field}[${i}].${key}`, "a number or undefined", v);
  return v;
}

/** Validates `series` (naming `field` in errors) and returns it as sorted columns. */
export function readSeries(series: Series, field: string): Columns {
  if (!Array.isArray(series)) throw new AnalysisInputError(field, "an array of { step, value } points", series);
  const n = series.length;
  const step = new Float64Array(n);
  const value = new Float64Array(n);
  // Allocated on the first point that carries one: most curves have no epoch, many no time.
  let time = EMPTY;
  let epoch = EMPTY;
  let hasTime = false;
  let hasEpoch = false;
  let sorted = true;
  for (let i = 0; i < n; i++) {
    const p = series[i] as SeriesPoint | null;
    if (p === null || typeof p !== "object") throw new AnalysisInputError(`${field}[${i}]`, "a { step, value } object", p);
    if (typeof p.step !== "number" || !Number.isFinite(p.step))
      throw new AnalysisInputError(`${field}[${i}].step`, "a finite number", p.step);
    const v = p.value as unknown;
    if (v !== null && typeof v !== "number") throw new AnalysisInputError(`${field}[${i}].value`, "a number (NaN allowed) or null", v);
    step[i] = p.step;
    value[i] = v === null ? NaN : (v as number);
    if (p.time !== undefined && p.time !== null) {
      if (time === EMPTY) time = new Float64Array(n).fill(NaN);
      time[i] = optionalNumber(p.time, field, i, "time");
      hasTime ||= Number.isFinite(time[i]);
    }
    if (p.epoch !== undefined && p.epoch !== null) {
      if (epoch === EMPTY) epoch = new Float64Array(n).fill(NaN);
      epoch[i] = optionalNumber(p.epoch, field, i, "epoch");
      hasEpoch ||= Number.isFinite(epoch[i]);
    }
    if (i > 0 && step[i] < step[i - 1]) sorted = false;
  }
  const cols = { step, value, time, epoch, hasTime, hasEpoch };
  return sorted ? cols : sortColumns(cols);
}

const EMPTY = new Float64Array(0);

/** Reorders or subsets a column by `indices`; empty (absent) columns stay empty. */
export function pickColumn(a: Float64Array, indices: ArrayLike<number>): Float64Array {
  if (a.length === 0) return a;
  const out = new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) out[k] = a[indices[k]];
  return out;
}

function sortColumns(c: Columns): Columns {
  const order = Array.from({ length: c.step.length }, (_, i) => i).sort((a, b) => c.step[a] - c.step[b] || a - b);
  const pick = (a: Float64Array) => pickColumn(a, order);
  return { ...c, step: pick(c.step), value: pick(c.value), time: pick(c.time), epoch: pick(c.epoch) };
}

/** Columns back to points, with `value` replaced by `values` (same length). */
export function writeSeries(c: Columns, values: ArrayLike<number>, indices?: ArrayLike<number>): SeriesPoint[] {
  const count = indices ? indices.length : c.step.length;
  const out: SeriesPoint[] = new Array(count);
  for (let k = 0; k < count; k++) {
    const i = indices ? indices[k] : k;
    const p: SeriesPoint = { step: c.step[i], value: values[i] };
    if (c.hasTime && Number.isFinite(c.time[i])) p.time = c.time[i];
    if (c.hasEpoch && Number.isFinite(c.epoch[i])) p.epoch = c.epoch[i];
    out[k] = p;
  }
  return out;
}

/** Converts the columnar `metric.series` shape into points (null values read as NaN). */
export function toSeries(columns: SeriesColumns): SeriesPoint[] {
  const n = columns.step.length;
  if (columns.value.length !== n) throw new AnalysisInputError("value", `${n} values (one per step)`, columns.value.length);
  const out: SeriesPoint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const v = columns.value[i];
    const p: SeriesPoint = { step: columns.step[i], value: v === null ? NaN : v };
    const t = columns.time?.[i];
    const e = columns.epoch?.[i];
    if (typeof t === "number") p.time = t;
    if (typeof e === "number") p.epoch = e;
    out[i] = p;
  }
  return out;
}
