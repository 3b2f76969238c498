import { encodeFactors, MISSING_NUMERIC, type EncodedRuns } from "./encode-factors";
import { forestData } from "./forest-importance";
import { growForest, type ForestOptions, type Tree } from "./random-forest";
import type { FactorAnalysisOptions, FactorInfo, FactorRun } from "./types";

export interface FactorFanova {
  name: string;
  /** Share of the summed main-effect fractions (Optuna's normalised importance), summing to 1. */
  importance: number;
  /** Mean over trees of V_j / V_total: the fraction of the forest's variance this factor's main effect explains. */
  fraction: number;
  /** Std of that fraction over trees. */
  fractionStd: number;
}

export interface FanovaResult {
  factors: FactorFanova[];
  trees: number;
  runs: number;
  info: FactorInfo[];
  skipped: { id: string; reason: string }[];
}

export type FanovaOptions = FactorAnalysisOptions & ForestOptions;

/**
 * fANOVA (Hutter, Hoos & Leyton-Brown 2014) as Optuna computes it: fit a random forest (64 trees,
 * depth 64), decompose each tree's variance over the factor space exactly, and average each
 * factor's main-effect fraction over the trees. The space is the product of: numeric factors
 * uniform over their observed range (log10 for log factors) with the runs' missing fraction as a
 * point mass below it; categorical factors uniform over their levels (one feature, cells = levels).
 */
export function fanova(runs: FactorRun[], options: FanovaOptions = {}): FanovaResult {
  const enc = encodeFactors(runs, options);
  const trees = growForest(forestData(enc), { ...options, seed: options.seed ?? 42 });
  return { factors: fanovaFromForest(enc, trees), trees: trees.length, runs: enc.y.length, info: enc.factors, skipped: enc.skipped };
}

interface Space {
  numeric: boolean[];
  levels: number[];
  missingMass: number[];
  constant: boolean[];
}

function spaceOf(enc: EncodedRuns): Space {
  const n = enc.y.length || 1;
  return {
    numeric: enc.factors.map((f) => f.kind !== "categorical"),
    levels: enc.factors.map((f) => f.levels?.length ?? 0),
    missingMass: enc.factors.map((f) => (f.kind !== "categorical" ? f.missing / n : 0)),
    constant: enc.factors.map((f) => f.kind !== "categorical" && (f.max ?? 0) === (f.min ?? 0)),
  };
}

/** Probability mass of (lo, hi] for numeric feature f. */
function measure(s: Space, f: number, lo: number, hi: number): number {
  const miss = s.missingMass[f];
  let m = lo < MISSING_NUMERIC && MISSING_NUMERIC <= hi ? miss : 0;
  if (s.constant[f]) m += lo < 0 && 0 <= hi ? 1 - miss : 0;
  else m += (1 - miss) * Math.max(0, Math.min(hi, 1) - Math.max(lo, 0));
  return m;
}

/** Per-tree main-effect variance fractions, averaged (Optuna's fANOVA evaluator). */
export function fanovaFromForest(enc: EncodedRuns, trees: Tree[]): FactorFanova[] {
  const s = spaceOf(enc);
  const p = enc.columns.length;
  const sum = new Float64Array(p);
  const sumSq = new Float64Array(p);
  let used = 0;
  for (const tree of trees) {
    const fractions = treeMainEffects(tree, s);
    if (!fractions) continue;
    used++;
    for (let j = 0; j < p; j++) {
      sum[j] += fractions[j];
      sumSq[j] += fractions[j] ** 2;
    }
  }
  const mean = Float64Array.from(sum, (v) => (used ? v / used : 0));
  const total = mean.reduce((a, b) => a + b, 0);
  return enc.factors.map((f, j) => ({
    name: f.name,
    importance: total > 0 ? mean[j] / total : 0,
    fraction: mean[j],
    fractionStd: used > 1 ? Math.sqrt(Math.max(0, (sumSq[j] - used * mean[j] ** 2) / (used - 1))) : 0,
  }));
}

/**
 * Exact main-effect fractions of one tree. Each numeric feature's axis is cut at the tree's own
 * thresholds into pieces; a leaf covers a contiguous run of pieces [lo, hi), a categorical leaf a
 * set of levels. The marginal of feature j on a piece is the sum over covering leaves of
 * value × (volume over the other features), accumulated with a difference array.
 */
function treeMainEffects(tree: Tree, s: Space): Float64Array | null {
  const p = s.numeric.length;
  const nodes = tree.feature.length;
  // Sorted unique thresholds per numeric feature, and piece weights (probability masses).
  const cuts: Float64Array[] = [];
  const cum: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    if (!s.numeric[j]) {
      cuts.push(new Float64Array(0));
      cum.push(new Float64Array(0));
      continue;
    }
    const t: number[] = [];
    for (let node = 0; node < nodes; node++) if (tree.feature[node] === j) t.push(tree.threshold[node]);
    t.sort((a, b) => a - b);
    const u = t.filter((v, i) => i === 0 || v !== t[i - 1]);
    const c = Float64Array.from(u);
    cuts.push(c);
    // cumulative mass at boundary k: boundaries are [-inf, cuts..., +inf]
    const m = new Float64Array(c.length + 2);
    for (let k = 1; k <= c.length + 1; k++) m[k] = m[k - 1] + measure(s, j, k === 1 ? -Infinity : c[k - 2], k === c.length + 1 ? Infinity : c[k - 1]);
    cum.push(m);
  }
  const pieceOf = (j: number, t: number) => {
    const c = cuts[j];
    let lo = 0;
    let hi = c.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1; // boundary index of threshold t
  };
  const maxLeaves = (nodes + 1) >> 1;
  const leafLo = new Int32Array(maxLeaves * p);
  const leafHi = new Int32Array(maxLeaves * p);
  const leafMass = new Float64Array(maxLeaves * p);
  const leafValue = new Float64Array(maxLeaves);
  const leafVolume = new Float64Array(maxLeaves);
  const catMasks = s.levels.map((L) => (L > 0 ? new Uint8Array(maxLeaves * L) : null));
  const lo = new Int32Array(p);
  const hi = Int32Array.from(cuts, (c) => c.length + 1);
  const masks = s.levels.map((L) => (L > 0 ? new Uint8Array(L).fill(1) : null));
  const maskCount = Float64Array.from(s.levels);
  let leaves = 0;
  const visit = (node: number): void => {
    const f = tree.feature[node];
    if (f < 0) {
      let volume = 1;
      const base = leaves * p;
      for (let j = 0; j < p; j++) {
        const m = s.numeric[j] ? cum[j][hi[j]] - cum[j][lo[j]] : maskCount[j] / s.levels[j];
        leafMass[base + j] = m;
        leafLo[base + j] = lo[j];
        leafHi[base + j] = hi[j];
        volume *= m;
      }
      if (volume <= 0) return;
      leafValue[leaves] = tree.value[node];
      leafVolume[leaves] = volume;
      for (let j = 0; j < p; j++) if (masks[j]) catMasks[j]!.set(masks[j]!, leaves * s.levels[j]);
      leaves++;
      return;
    }
    if (s.numeric[f]) {
      const k = pieceOf(f, tree.threshold[node]);
      const oldHi = hi[f];
      hi[f] = Math.min(oldHi, k);
      visit(tree.left[node]);
      hi[f] = oldHi;
      const oldLo = lo[f];
      lo[f] = Math.max(oldLo, k);
      visit(tree.right[node]);
      lo[f] = oldLo;
    } else {
      const set = tree.catLeft[node]!;
      const old = masks[f]!;
      const oldCount = maskCount[f];
      for (const side of [1, 0]) {
        const m = new Uint8Array(old.length);
        let c = 0;
        for (let l = 0; l < m.length; l++) c += m[l] = old[l] & (set[l] === side ? 1 : 0);
        masks[f] = m;
        maskCount[f] = c;
        visit(side ? tree.left[node] : tree.right[node]);
      }
      masks[f] = old;
      maskCount[f] = oldCount;
    }
  };
  visit(0);

  let mean = 0;
  for (let l = 0; l < leaves; l++) mean += leafVolume[l] * leafValue[l];
  let total = 0;
  for (let l = 0; l < leaves; l++) total += leafVolume[l] * (leafValue[l] - mean) ** 2;
  if (!(total > 1e-300)) return null;
  const out = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let v = 0;
    if (s.numeric[j]) {
      const K = cuts[j].length + 1;
      if (K === 1) continue;
      const diff = new Float64Array(K + 1);
      for (let l = 0; l < leaves; l++) {
        const c = (leafValue[l] * leafVolume[l]) / leafMass[l * p + j];
        diff[leafLo[l * p + j]] += c;
        diff[leafHi[l * p + j]] -= c;
      }
      let run = 0;
      for (let i = 0; i < K; i++) {
        run += diff[i];
        v += (cum[j][i + 1] - cum[j][i]) * (run - mean) ** 2;
      }
    } else {
      const L = s.levels[j];
      if (!tree.feature.includes(j)) continue;
      const pieces = new Float64Array(L);
      const cm = catMasks[j]!;
      for (let l = 0; l < leaves; l++) {
        const c = (leafValue[l] * leafVolume[l]) / leafMass[l * p + j];
        for (let lv = 0; lv < L; lv++) if (cm[l * L + lv]) pieces[lv] += c;
      }
      for (let lv = 0; lv < L; lv++) v += (pieces[lv] - mean) ** 2 / L;
    }
    out[j] = v / total;
  }
  return out;
}
