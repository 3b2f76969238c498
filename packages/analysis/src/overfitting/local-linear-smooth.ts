/**
 * Local linear regression with a uniform window of ±`half` points, O(n) via prefix sums.
 * Unlike a moving average it is unbiased on straight stretches and at the ends, which is what
 * locating a minimum and judging the final trend need.
 */
export function localLinearSmooth(x: Float64Array, y: Float64Array, half: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  // Centre x to keep the prefix sums well conditioned.
  const x0 = x[0];
  const scale = x[n - 1] - x0 || 1;
  const sx = new Float64Array(n + 1);
  const sy = new Float64Array(n + 1);
  const sxx = new Float64Array(n + 1);
  const sxy = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const u = (x[i] - x0) / scale;
    sx[i + 1] = sx[i] + u;
    sy[i + 1] = sy[i] + y[i];
    sxx[i + 1] = sxx[i] + u * u;
    sxy[i + 1] = sxy[i] + u * y[i];
  }
  for (let i = 0; i < n; i++) {
    const lo = Math.max(0, i - half);
    const hi = Math.min(n, i + half + 1);
    const m = hi - lo;
    const mx = (sx[hi] - sx[lo]) / m;
    const my = (sy[hi] - sy[lo]) / m;
    const vxx = (sxx[hi] - sxx[lo]) / m - mx * mx;
    const vxy = (sxy[hi] - sxy[lo]) / m - mx * my;
    const u = (x[i] - x0) / scale;
    out[i] = vxx > 1e-18 ? my + (vxy / vxx) * (u - mx) : my;
  }
  return out;
}
