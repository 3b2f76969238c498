import { AnalysisInputError } from "../errors";
import { readSeries, writeSeries } from "./read-series";
import type { Series, SeriesPoint } from "./types";

export interface RunningAverageOptions {
  /** "center" (W&B's running average: points before and after) or "trailing" (only earlier points). */
  align?: "center" | "trailing";
}

/**
 * Mean of the finite values in a window of `windowPoints` points around (or up to) each point,
 * O(n) with prefix sums. Non-finite points pass through unchanged and are skipped by the means.
 */
export function runningAverage(series: Series, windowPoints: number, options: RunningAverageOptions = {}): SeriesPoint[] {
  if (!Number.isInteger(windowPoints) || windowPoints < 1)
    throw new AnalysisInputError("windowPoints", "a positive integer", windowPoints);
  const align = options.align ?? "center";
  if (align !== "center" && align !== "trailing") throw new AnalysisInputError("options.align", '"center" or "trailing"', align);
  const c = readSeries(series, "series");
  const n = c.value.length;
  const sum = new Float64Array(n + 1);
  const count = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const ok = Number.isFinite(c.value[i]);
    sum[i + 1] = sum[i] + (ok ? c.value[i] : 0);
    count[i + 1] = count[i] + (ok ? 1 : 0);
  }
  const before = align === "center" ? Math.floor((windowPoints - 1) / 2) : windowPoints - 1;
  const after = windowPoints - 1 - before;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(c.value[i])) {
      out[i] = c.value[i];
      continue;
    }
    const lo = Math.max(0, i - before);
    const hi = Math.min(n, i + after + 1);
    out[i] = (sum[hi] - sum[lo]) / (count[hi] - count[lo]);
  }
  return writeSeries(c, out);
}
