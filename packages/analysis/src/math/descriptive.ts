// Small numeric helpers shared by the curve and factor code.

export function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return a.length ? s / a.length : NaN;
}

/** Sample variance (ddof = 1), two-pass for accuracy. */
export function sampleVariance(a: ArrayLike<number>): number {
  const n = a.length;
  if (n < 2) return NaN;
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i] - m) * (a[i] - m);
  return s / (n - 1);
}

/** Quantile with linear interpolation between order statistics (numpy's default, type 7). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export function quantile(a: ArrayLike<number>, q: number): number {
  return quantileSorted(Float64Array.from(a).sort(), q);
}

/** Ranks 1..n with ties given their average rank (as scipy.stats.rankdata). */
export function averageRanks(a: ArrayLike<number>): Float64Array {
  const n = a.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i] - a[j]);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && a[order[j + 1]] === a[order[i]]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = r;
    i = j + 1;
  }
  return ranks;
}

/**
 * Median absolute deviation scaled to estimate σ of normal noise. Long inputs are read at an
 * even stride (at most 4,096 values): the estimate does not need more and sorting 10⁵ values twice
 * would dominate a curve diagnosis.
 */
export function robustSigma(a: ArrayLike<number>): number {
  if (a.length === 0) return NaN;
  const stride = Math.max(1, Math.ceil(a.length / 4096));
  const sample = new Float64Array(Math.ceil(a.length / stride));
  for (let i = 0, k = 0; i < a.length; i += stride) sample[k++] = a[i];
  const sorted = sample.sort();
  const med = quantileSorted(sorted, 0.5);
  const dev = new Float64Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) dev[i] = Math.abs(sorted[i] - med);
  dev.sort();
  return 1.4826 * quantileSorted(dev, 0.5);
}

/** Ordinary least squares line y = a + b·x with the t statistic of the slope. */
export function linearTrend(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  from = 0,
  to = x.length,
): { slope: number; intercept: number; slopeT: number; n: number } {
  const n = to - from;
  if (n < 3) return { slope: NaN, intercept: NaN, slopeT: NaN, n };
  let mx = 0;
  let my = 0;
  for (let i = from; i < to; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = from; i < to; i++) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  if (sxx === 0) return { slope: NaN, intercept: my, slopeT: NaN, n };
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = from; i < to; i++) {
    const r = y[i] - intercept - slope * x[i];
    sse += r * r;
  }
  const se = Math.sqrt(sse / (n - 2) / sxx);
  const slopeT = se > 0 ? slope / se : slope === 0 ? 0 : slope > 0 ? Infinity : -Infinity;
  return { slope, intercept, slopeT, n };
}
