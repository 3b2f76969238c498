import { readSeries, writeSeries } from "./read-series";
import { checkMaxPoints } from "./downsample-min-max";
import type { Series, SeriesPoint } from "./types";

/**
 * Largest-Triangle-Three-Buckets (Steinarsson 2013) in O(n): keeps the first and last finite
 * points and, per bucket, the point forming the largest triangle with the previous pick and the
 * next bucket's mean — visually faithful downsampling to at most `maxPoints` points.
 * Non-finite points are never silently dropped: the first point of each run of NaN/Inf is kept
 * (evenly thinned if there are more runs than a quarter of the budget).
 */
export function lttb(series: Series, maxPoints: number): SeriesPoint[] {
  checkMaxPoints(maxPoints);
  const c = readSeries(series, "series");
  const n = c.step.length;
  if (n <= maxPoints) return writeSeries(c, c.value);

  const finite: number[] = [];
  const runStarts: number[] = [];
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(c.value[i])) finite.push(i);
    else if (i === 0 || Number.isFinite(c.value[i - 1])) runStarts.push(i);
  }
  const reserve = Math.min(runStarts.length, Math.floor(maxPoints / 4));
  const bad: number[] = [];
  for (let k = 0; k < reserve; k++) bad.push(runStarts[Math.floor((k * runStarts.length) / reserve)]);
  const kept = selectLttb(c.step, c.value, finite, maxPoints - reserve);
  const merged = mergeSorted(kept, bad);
  return writeSeries(c, c.value, merged);
}

function selectLttb(x: Float64Array, y: Float64Array, idx: number[], threshold: number): number[] {
  const m = idx.length;
  if (m <= threshold) return idx.slice();
  if (threshold < 3) return threshold === 2 ? [idx[0], idx[m - 1]] : threshold === 1 ? [idx[0]] : [];
  const out = [idx[0]];
  const every = (m - 2) / (threshold - 2);
  let a = 0;
  for (let b = 0; b < threshold - 2; b++) {
    const start = Math.floor(b * every) + 1;
    const end = Math.floor((b + 1) * every) + 1;
    const nextStart = end;
    const nextEnd = Math.min(m, Math.floor((b + 2) * every) + 1);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += x[idx[j]];
      avgY += y[idx[j]];
    }
    const len = nextEnd - nextStart;
    avgX /= len;
    avgY /= len;
    const ax = x[idx[a]];
    const ay = y[idx[a]];
    let best = -1;
    let bestArea = -1;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - avgX) * (y[idx[j]] - ay) - (ax - x[idx[j]]) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(idx[best]);
    a = best;
  }
  out.push(idx[m - 1]);
  return out;
}

function mergeSorted(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}
