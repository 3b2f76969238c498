import { AnalysisInputError } from "../errors";
import { readSeries, writeSeries } from "./read-series";
import { beatsMax, beatsMin } from "./min-max-order";
import type { Series, SeriesPoint } from "./types";

export function checkMaxPoints(maxPoints: number): void {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new AnalysisInputError("maxPoints", "an integer >= 2", maxPoints);
}

/**
 * W&B-style chart downsampling in O(n): the first and last points are always kept; the steps in
 * between are cut into equal step ranges (buckets) and each bucket keeps its minimum and maximum
 * point by `beatsMin`/`beatsMax` (a bucket holding a NaN keeps it as its max, so a divergence stays
 * visible). Points come out in step order with their original step/value/time; never more than `maxPoints`.
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
  const buckets = Math.floor((maxPoints - 2) / 2);
  if (buckets < 1) return [0, n - 1];

  const minIdx = new Int32Array(buckets).fill(-1);
  const maxIdx = new Int32Array(buckets).fill(-1);
  const x0 = step[0];
  const span = step[n - 1] - x0;
  const perStep = span > 0 ? buckets / span : 0;
  const perIndex = buckets / (n - 2);
  for (let i = 1; i < n - 1; i++) {
    const pos = span > 0 ? (step[i] - x0) * perStep : (i - 1) * perIndex;
    const b = pos >= buckets - 1 ? buckets - 1 : Math.floor(pos);
    const v = value[i];
    const lo = minIdx[b];
    const hi = maxIdx[b];
    if (lo < 0 || beatsMin(v, step[i], value[lo], step[lo])) minIdx[b] = i;
    if (hi < 0 || beatsMax(v, step[i], value[hi], step[hi])) maxIdx[b] = i;
  }
  const keep: number[] = [0];
  for (let b = 0; b < buckets; b++) {
    const lo = minIdx[b];
    const hi = maxIdx[b];
    if (lo < 0) continue;
    keep.push(Math.min(lo, hi));
    if (hi !== lo) keep.push(Math.max(lo, hi));
  }
  keep.push(n - 1);
  return keep;
}
