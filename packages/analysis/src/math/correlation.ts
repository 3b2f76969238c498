import { averageRanks } from "./descriptive";
import { studentTTwoSidedP } from "./special-functions";

export interface Correlation {
  r: number;
  /** Two-sided p-value of r = 0 (t test with n − 2 df, as scipy's pearsonr/spearmanr). */
  pValue: number;
  n: number;
}

export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): Correlation {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (n < 3 || sxx === 0 || syy === 0) return { r: NaN, pValue: NaN, n };
  const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  const df = n - 2;
  const t = Math.abs(r) === 1 ? Infinity : r * Math.sqrt(df / (1 - r * r));
  return { r, pValue: studentTTwoSidedP(t, df), n };
}

/** Pearson on average ranks (ties shared), as scipy.stats.spearmanr. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): Correlation {
  return pearson(averageRanks(x), averageRanks(y));
}
