import { createRng, shuffleInPlace } from "../math/rng";
import { encodeFactors, type EncodedRuns } from "./encode-factors";
import { growForest, predictTree, type ForestOptions, type Tree } from "./random-forest";
import type { FactorAnalysisOptions, FactorInfo, FactorRun } from "./types";

export interface FactorForestImportance {
  name: string;
  /** Mean decrease in impurity (sklearn's feature_importances_), shares summing to 1. */
  impurity: number;
  /** Out-of-bag permutation importance as a share of the positive total (negatives count as 0). */
  permutation: number;
  /** Mean increase of out-of-bag MSE when the factor is permuted, and its std over trees. */
  permutationIncrease: number;
  permutationIncreaseStd: number;
}

export interface ForestImportanceResult {
  factors: FactorForestImportance[];
  /** Out-of-bag R² of the forest: how much of the target the factors explain at all. */
  oobR2: number;
  trees: number;
  runs: number;
  info: FactorInfo[];
  skipped: { id: string; reason: string }[];
}

export type ForestImportanceOptions = FactorAnalysisOptions & ForestOptions;

/**
 * Random-forest importance (W&B's "importance" panel): a regression forest of the target on all
 * factors, with impurity-based (MDI) and out-of-bag permutation importances. Deterministic for a seed.
 */
export function forestImportance(runs: FactorRun[], options: ForestImportanceOptions = {}): ForestImportanceResult {
  const enc = encodeFactors(runs, options);
  const trees = growForest(forestData(enc), { ...options, seed: options.seed ?? 42 });
  return { ...importancesFromForest(enc, trees, options.seed ?? 42), info: enc.factors, skipped: enc.skipped };
}

export function forestData(enc: EncodedRuns) {
  return { columns: enc.columns, levels: enc.factors.map((f) => (f.kind === "categorical" ? f.levels!.length : 0)), y: enc.y };
}

export function importancesFromForest(enc: EncodedRuns, trees: Tree[], seed: number): Omit<ForestImportanceResult, "info" | "skipped"> {
  const p = enc.columns.length;
  const mdi = new Float64Array(p);
  for (const t of trees) {
    const per = new Float64Array(p);
    let total = 0;
    for (let node = 0; node < t.feature.length; node++) {
      if (t.feature[node] < 0) continue;
      per[t.feature[node]] += t.gain[node];
      total += t.gain[node];
    }
    if (total > 0) for (let f = 0; f < p; f++) mdi[f] += per[f] / total;
  }
  normalize(mdi);
  const groups = Array.from({ length: p }, (_, f) => [f]);
  const perm = groupPermutationIncrease(enc, trees, groups, seed);
  const share = normalize(Float64Array.from(perm.mean, (v) => Math.max(0, v)));
  return {
    factors: enc.factors.map((f, i) => ({
      name: f.name,
      impurity: mdi[i],
      permutation: share[i],
      permutationIncrease: perm.mean[i],
      permutationIncreaseStd: perm.std[i],
    })),
    oobR2: oobR2(enc, trees),
    trees: trees.length,
    runs: enc.y.length,
  };
}

function normalize(a: Float64Array): Float64Array {
  let s = 0;
  for (const v of a) s += v;
  if (s > 0) for (let i = 0; i < a.length; i++) a[i] /= s;
  return a;
}

/**
 * Out-of-bag MSE increase when the features of each group are permuted together (one shared
 * permutation of the tree's OOB rows), averaged over trees. Groups let a family be judged as a whole.
 */
export function groupPermutationIncrease(enc: EncodedRuns, trees: Tree[], groups: number[][], seed: number): { mean: Float64Array; std: Float64Array } {
  const rng = createRng(seed + 7919);
  const p = enc.columns.length;
  const sums = new Float64Array(groups.length);
  const sq = new Float64Array(groups.length);
  let used = 0;
  for (const t of trees) {
    const oob = t.oob;
    if (oob.length < 2) continue;
    used++;
    let base = 0;
    for (const r of oob) base += (predictTree(t, enc.columns, r) - enc.y[r]) ** 2;
    base /= oob.length;
    const perm = Array.from(oob);
    groups.forEach((g, gi) => {
      shuffleInPlace(rng, perm);
      const swap = new Uint8Array(p);
      for (const f of g) swap[f] = 1;
      let mse = 0;
      for (let k = 0; k < oob.length; k++) mse += (predictTree(t, enc.columns, oob[k], swap, perm[k]) - enc.y[oob[k]]) ** 2;
      const inc = mse / oob.length - base;
      sums[gi] += inc;
      sq[gi] += inc * inc;
    });
  }
  const mean = Float64Array.from(sums, (s) => (used ? s / used : 0));
  const std = Float64Array.from(sq, (s, i) => (used > 1 ? Math.sqrt(Math.max(0, (s - used * mean[i] ** 2) / (used - 1))) : 0));
  return { mean, std };
}

function oobR2(enc: EncodedRuns, trees: Tree[]): number {
  const n = enc.y.length;
  const sum = new Float64Array(n);
  const cnt = new Int32Array(n);
  for (const t of trees) {
    for (const r of t.oob) {
      sum[r] += predictTree(t, enc.columns, r);
      cnt[r]++;
    }
  }
  let my = 0;
  let k = 0;
  for (let r = 0; r < n; r++) {
    if (!cnt[r]) continue;
    my += enc.y[r];
    k++;
  }
  if (k < 2) return NaN;
  my /= k;
  let sse = 0;
  let sst = 0;
  for (let r = 0; r < n; r++) {
    if (!cnt[r]) continue;
    sse += (enc.y[r] - sum[r] / cnt[r]) ** 2;
    sst += (enc.y[r] - my) ** 2;
  }
  return sst > 0 ? 1 - sse / sst : NaN;
}
