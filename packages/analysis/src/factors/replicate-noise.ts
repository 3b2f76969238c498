import type { EncodedRuns } from "./encode-factors";

export interface ReplicateNoise {
  /** Distinct combinations of the factors (configurations). */
  configurations: number;
  /** Configurations run more than once (with different seeds). */
  replicated: number;
  /** Share of the target's total sum of squares that lies within configurations: the seed-noise floor. */
  share: number;
  /** Pooled within-configuration standard deviation (the noise of one seed). */
  pooledStd: number;
  /** Degrees of freedom of the pooled variance: runs − configurations over replicated ones. */
  df: number;
  text: string;
}

/**
 * Runs that agree on every factor differ only in what was left out of the analysis: the seed (and
 * bookkeeping). Their spread is the noise floor no factor can explain.
 */
export function replicateNoise(enc: EncodedRuns): ReplicateNoise | null {
  const n = enc.y.length;
  if (n < 2) return null;
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = enc.columns.map((c) => c[i]).join("|");
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(i);
  }
  let mean = 0;
  for (const v of enc.y) mean += v / n;
  let total = 0;
  for (const v of enc.y) total += (v - mean) ** 2;
  let within = 0;
  let df = 0;
  let replicated = 0;
  for (const rows of groups.values()) {
    if (rows.length < 2) continue;
    replicated++;
    const m = rows.reduce((s, i) => s + enc.y[i], 0) / rows.length;
    for (const i of rows) within += (enc.y[i] - m) ** 2;
    df += rows.length - 1;
  }
  if (!replicated) return null;
  const share = total > 0 ? within / total : 0;
  const pooledStd = Math.sqrt(within / df);
  const seeds = Math.round((df + replicated) / replicated);
  return {
    configurations: groups.size,
    replicated,
    share,
    pooledStd,
    df,
    text: `seed noise: ${share < 0.01 && share > 0 ? "<1" : Math.round(100 * share)}% of the variance (${replicated} configuration${replicated === 1 ? "" : "s"} with about ${seeds} seeds each; one seed's std ${Number(pooledStd.toPrecision(2))})`,
  };
}
