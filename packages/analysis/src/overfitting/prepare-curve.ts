import { pickColumn, type Columns } from "../curves/read-series";

/** A curve with one point per step (the last logged value wins, as a re-logged step overwrites). */
export function dedupeSteps(c: Columns): Columns {
  const n = c.step.length;
  let dups = 0;
  for (let i = 1; i < n; i++) if (c.step[i] === c.step[i - 1]) dups++;
  if (dups === 0) return c;
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (i === n - 1 || c.step[i + 1] !== c.step[i]) keep.push(i);
  const pick = (a: Float64Array) => pickColumn(a, keep);
  return { ...c, step: pick(c.step), value: pick(c.value), time: pick(c.time), epoch: pick(c.epoch) };
}

export interface Divergence {
  index: number;
  step: number;
  reason: "non_finite" | "explosion";
  value: number;
}

/**
 * First point where a loss curve breaks: NaN/Inf, or a value above `factor` × its running
 * minimum that is also above its first value (so tiny losses wobbling ×10 near zero do not count).
 */
export function findDivergence(c: Columns, factor: number): Divergence | null {
  let runMin = Infinity;
  let first = NaN;
  for (let i = 0; i < c.value.length; i++) {
    const v = c.value[i];
    if (!Number.isFinite(v)) return { index: i, step: c.step[i], reason: "non_finite", value: v };
    if (Number.isNaN(first)) first = v;
    if (runMin > 0 && v > factor * runMin && v > first) return { index: i, step: c.step[i], reason: "explosion", value: v };
    if (v < runMin) runMin = v;
  }
  return null;
}

/** Finite values before index `end` as (x, y) columns; views of the input when nothing is dropped. */
export function finiteBefore(c: Columns, end: number): { x: Float64Array; y: Float64Array } {
  let m = 0;
  for (let i = 0; i < end; i++) if (Number.isFinite(c.value[i])) m++;
  if (m === end) return { x: c.step.subarray(0, end), y: c.value.subarray(0, end) };
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  for (let i = 0, k = 0; i < end; i++) if (Number.isFinite(c.value[i])) (x[k] = c.step[i]), (y[k++] = c.value[i]);
  return { x, y };
}
