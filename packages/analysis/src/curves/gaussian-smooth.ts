import { AnalysisInputError } from "../errors";
import { readSeries, writeSeries } from "./read-series";
import type { Series, SeriesPoint } from "./types";

/**
 * Gaussian kernel smoothing in step units: each finite point becomes the weighted mean of the
 * finite points within 3σ steps of it, weights exp(−Δstep²/2σ²). Distances are in steps, not
 * indices, so unevenly logged curves are not distorted. Non-finite points pass through unchanged.
 * Cost is O(n · points within 3σ): meant for chart-sized curves (downsample first).
 */
export function gaussianSmooth(series: Series, sigmaSteps: number): SeriesPoint[] {
  if (typeof sigmaSteps !== "number" || !(sigmaSteps > 0) || !Number.isFinite(sigmaSteps))
    throw new AnalysisInputError("sigmaSteps", "a positive finite number of steps", sigmaSteps);
  const c = readSeries(series, "series");
  return writeSeries(c, gaussianSmoothColumns(c.step, c.value, sigmaSteps));
}

/** The same on sorted columns (used by the diagnosis). */
export function gaussianSmoothColumns(x: Float64Array, y: Float64Array, sigma: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  const reach = 3 * sigma;
  const inv = 1 / (2 * sigma * sigma);
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i])) {
      out[i] = y[i];
      continue;
    }
    while (x[lo] < x[i] - reach) lo++;
    if (hi < i) hi = i;
    while (hi + 1 < n && x[hi + 1] <= x[i] + reach) hi++;
    let sw = 0;
    let s = 0;
    for (let j = lo; j <= hi; j++) {
      const v = y[j];
      if (!Number.isFinite(v)) continue;
      const d = x[j] - x[i];
      const w = Math.exp(-d * d * inv);
      sw += w;
      s += w * v;
    }
    out[i] = s / sw;
  }
  return out;
}
