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
  const n = c.step.length;
  if (n <= maxPoints) return writeSeries(c, c.value);
  let hasNonFinite = false;
  for (let i = 0; i < n && !hasNonFinite; i++) hasNonFinite = !Number.isFinite(c.value[i]);
  const slots = hasNonFinite ? 3 : 2;
  const buckets = Math.floor((maxPoints - 2) / slots);
  if (buckets < 1) return writeSeries(c, c.value, [0, n - 1]);

  const minIdx = new Int32Array(buckets).fill(-1);
  const maxIdx = new Int32Array(buckets).fill(-1);
  const badIdx = new Int32Array(buckets).fill(-1);
  const x0 = c.step[0];
  const span = c.step[n - 1] - x0;
  for (let i = 1; i < n - 1; i++) {
    const pos = span > 0 ? (c.step[i] - x0) / span : (i - 1) / (n - 2);
    const b = Math.min(buckets - 1, Math.floor(pos * buckets));
    const v = c.value[i];
    if (!Number.isFinite(v)) {
      if (badIdx[b] < 0) badIdx[b] = i;
      continue;
    }
    if (minIdx[b] < 0 || v < c.value[minIdx[b]]) minIdx[b] = i;
    if (maxIdx[b] < 0 || v > c.value[maxIdx[b]]) maxIdx[b] = i;
  }
  const keep: number[] = [0];
  for (let b = 0; b < buckets; b++) {
    const picked = [minIdx[b], maxIdx[b], badIdx[b]].filter((i) => i >= 0).sort((p, q) => p - q);
    for (const i of picked) if (keep[keep.length - 1] !== i) keep.push(i);
  }
  keep.push(n - 1);
  return writeSeries(c, c.value, keep);
}
