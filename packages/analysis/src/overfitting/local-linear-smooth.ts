/**
 * Local linear regression with a uniform window of ±`half` points, O(n) via prefix sums.
 * Unlike a moving average it is unbiased on straight stretches and at the ends, which is what
 * locating a minimum and judging the final trend need.
 */
export function localLinearSmooth(x: Float64Array, y: Float64Array, half: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n);
  if (n === 0) return out;
  // Centre and scale x to keep the running sums well conditioned; the window slides by at most one
  // point per side per step, so sums are updated instead of stored as prefix arrays.
  const x0 = x[0];
  const scale = x[n - 1] - x0 || 1;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < n; i++) {
    const wantLo = Math.max(0, i - half);
    const wantHi = Math.min(n, i + half + 1);
    while (hi < wantHi) {
      const u = (x[hi] - x0) / scale;
      sx += u;
      sy += y[hi];
      sxx += u * u;
      sxy += u * y[hi];
      hi++;
    }
    while (lo < wantLo) {
      const u = (x[lo] - x0) / scale;
      sx -= u;
      sy -= y[lo];
      sxx -= u * u;
      sxy -= u * y[lo];
      lo++;
    }
    const m = hi - lo;
    const mx = sx / m;
    const my = sy / m;
    const vxx = sxx / m - mx * mx;
    const vxy = sxy / m - mx * my;
    const u = (x[i] - x0) / scale;
    out[i] = vxx > 1e-12 * (sxx / m + 1e-300) ? my + (vxy / vxx) * (u - mx) : my;
  }
  return out;
}
