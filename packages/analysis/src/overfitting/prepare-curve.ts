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
  /**
   * False for a NaN/Inf the curve recovered from (an fp16 overflow step, one failed evaluation):
   * at least half of the points from there on are finite and the last one is.
   */
  persistent: boolean;
}

/**
 * First point where a loss curve breaks: NaN/Inf that persists, or a value above `factor` × its
 * running minimum that is also above its first value (so tiny losses wobbling ×10 near zero do not
 * count). NaN/Inf points the curve recovers from are skipped; when nothing else breaks, the first
 * of them comes back with `persistent: false`.
 */
export function findDivergence(c: Columns, factor: number): Divergence | null {
  let runMin = Infinity;
  let first = NaN;
  const n = c.value.length;
  const lastFinite = n > 0 && Number.isFinite(c.value[n - 1]);
  let nonFiniteAfter = -1; // counted at the first NaN/Inf: most curves have none
  let glitch: Divergence | null = null;
  for (let i = 0; i < n; i++) {
    const v = c.value[i];
    if (!Number.isFinite(v)) {
      if (nonFiniteAfter < 0) {
        nonFiniteAfter = 0;
        for (let j = i; j < n; j++) if (!Number.isFinite(c.value[j])) nonFiniteAfter++;
      }
      const persistent = !lastFinite || nonFiniteAfter >= 0.5 * (n - i);
      nonFiniteAfter--;
      if (persistent) return { index: i, step: c.step[i], reason: "non_finite", value: v, persistent };
      glitch ??= { index: i, step: c.step[i], reason: "non_finite", value: v, persistent };
      continue;
    }
    if (Number.isNaN(first)) first = v;
    if (runMin > 0 && v > factor * runMin && v > first) return { index: i, step: c.step[i], reason: "explosion", value: v, persistent: true };
    if (v < runMin) runMin = v;
  }
  return glitch;
}

/** Finite values before index `end` as (x, y) columns; views of the input when nothing is dropped. */
export function finiteBefore(c: Columns, end: number): { x: Float64Array; y: Float64Array } {
  let m = 0;
  for (let i = 0; i < end; i++) if (Number.isFinite(c.value[i])) m++;
  if (m === end) return { x: c.step.subarray(0, end), y: c.value.subarray(0, end) };
  const x = new Float64Array(m);
  const y = new Float64Array(m);
  for (let i = 0, k = 0; i < end; i++) {
    if (!Number.isFinite(c.value[i])) continue;
    x[k] = c.step[i];
    y[k++] = c.value[i];
  }
  return { x, y };
}

export function countFinite(a: Float64Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) n++;
  return n;
}

/** Relative fall of a curve's finite values: mean of its first tenth against its last tenth (NaN with < 2 points). */
export function fallOf(c: Columns): number {
  const y = c.value;
  const finite = countFinite(y);
  if (finite < 2) return NaN;
  const w = Math.max(1, Math.floor(finite / 10));
  let head = 0;
  let tail = 0;
  for (let i = 0, k = 0; k < w; i++) {
    if (!Number.isFinite(y[i])) continue;
    head += y[i];
    k++;
  }
  for (let i = y.length - 1, k = 0; k < w; i--) {
    if (!Number.isFinite(y[i])) continue;
    tail += y[i];
    k++;
  }
  return (head - tail) / Math.abs(head || 1);
}
