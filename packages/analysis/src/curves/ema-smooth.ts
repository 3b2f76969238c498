import { AnalysisInputError } from "../errors";
import { readSeries, writeSeries } from "./read-series";
import type { Series, SeriesPoint } from "./types";

/**
 * Exponential moving average with debiasing, as TensorBoard and W&B draw it:
 * `last = w·last + (1−w)·v`, shown as `last / (1 − w^k)` after k finite values, so the start is
 * not pulled towards zero. Non-finite points pass through unchanged and do not enter the average.
 * Steps are untouched. `weight` in [0, 1): 0 = no smoothing (TensorBoard's default is 0.6).
 */
export function emaSmooth(series: Series, weight = 0.6): SeriesPoint[] {
  if (typeof weight !== "number" || !(weight >= 0 && weight < 1))
    throw new AnalysisInputError("weight", "a number in [0, 1)", weight);
  const c = readSeries(series, "series");
  const n = c.value.length;
  const out = new Float64Array(n);
  let last = 0;
  let k = 0;
  let first = NaN;
  let constant = true;
  for (let i = 0; i < n; i++) {
    const v = c.value[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    if (Number.isNaN(first)) first = v;
    else if (v !== first) constant = false;
    last = last * weight + (1 - weight) * v;
    k++;
    out[i] = last / (1 - Math.pow(weight, k));
  }
  // A constant curve would come back with rounding noise; keep it exactly constant.
  if (constant) for (let i = 0; i < n; i++) if (Number.isFinite(c.value[i])) out[i] = c.value[i];
  return writeSeries(c, out);
}
