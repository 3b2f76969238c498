import { AnalysisInputError } from "../errors";
import { readSeries, writeSeries } from "./read-series";
import type { Series, SeriesPoint } from "./types";

export function checkMaxPoints(maxPoints: number): void {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new AnalysisInputError("maxPoints", "an integer >= 2", maxPoints);
}

/**
 * W&B-style chart downsampling in O(n): the first and last points are always kept; the steps in
 * between are cut into equal step ranges (buckets) and each bucket keeps its minimum and maximum
 * point — and, if the curve has NaN/Inf, its first non-finite point, so a divergence stays visible.
 * Points come out in step order with their original step/value/time; never more than `maxPoints`.
 */
export function downsampleMinMax(series: Series, maxPoints: number): SeriesPoint[] {
  checkMaxPoints(maxPoints);
  const c = readSeries(series, "series");
  return writeSeries(c, c.value, minMaxIndices(c.step, c.value, maxPoints));
}

/** Indices kept by the min/max bucketing of sorted columns (all of them when n <= maxPoints). */
export function minMaxIndices(step: ArrayLike<number>, value: ArrayLike<number>, maxPoints: number): number[] {
  const n = step.length;
  if (n <= maxPoints) return Array.from({ length: n }, (_, i) => i);
  let hasNonFinite = false;
  for (let i = 0; i < n && !hasNonFinite; i++) hasNonFinite = !Number.isFinite(value[i]);
  const slots = hasNonFinite ? 3 : 2;
  const buckets = Math.floor((maxPoints - 2) / slots);
  if (buckets < 1) return [0, n - 1];

  const minIdx = new Int32Array(buckets).fill(-1);
  const maxIdx = new Int32Array(buckets).fill(-1);
  const badIdx = new Int32Array(buckets).fill(-1);
  const x0 = step[0];
  const span = step[n - 1] - x0;
  const perStep = span > 0 ? buckets / span : 0;
  const perIndex = buckets / (n - 2);
  for (let i = 1; i < n - 1; i++) {
    const pos = span > 0 ? (step[i] - x0) * perStep : (i - 1) * perIndex;
    const b = pos >= buckets - 1 ? buckets - 1 : Math.floor(pos);
    const v = value[i];
    if (!Number.isFinite(v)) {
      if (badIdx[b] < 0) badIdx[b] = i;
      continue;
    }
    if (minIdx[b] < 0 || v < value[minIdx[b]]) minIdx[b] = i;
    if (maxIdx[b] < 0 || v > value[maxIdx[b]]) maxIdx[b] = i;
  }
  const keep: number[] = [0];
  const push = (i: number) => {
    if (i >= 0 && keep[keep.length - 1] !== i) keep.push(i);
  };
  for (let b = 0; b < buckets; b++) {
    // the (up to) three picks of a bucket, in index order
    let p = minIdx[b];
    let q = maxIdx[b];
    let r = badIdx[b];
    if (p > q) [p, q] = [q, p];
    if (r >= 0 && r < q) [q, r] = [r, q];
    if (q >= 0 && q < p) [p, q] = [q, p];
    push(p), push(q), push(r);
  }
  keep.push(n - 1);
  return keep;
}
