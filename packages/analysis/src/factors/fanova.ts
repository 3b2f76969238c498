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

interface Leaf {
  value: number;
  lo: Float64Array;
  hi: Float64Array;
  masks: (Uint8Array | null)[];
  /** Mass of the leaf along each feature. */
  mass: Float64Array;
  volume: number;
}

function leavesOf(tree: Tree, s: Space): Leaf[] {
  const p = s.numeric.length;
  const lo = new Float64Array(p).fill(-Infinity);
  const hi = new Float64Array(p).fill(Infinity);
  const masks = s.levels.map((l) => (l > 0 ? new Uint8Array(l).fill(1) : null));
  const out: Leaf[] = [];
  const visit = (node: number) => {
    const f = tree.feature[node];
    if (f < 0) {
      const mass = new Float64Array(p);
      let volume = 1;
      for (let j = 0; j < p; j++) {
        mass[j] = s.numeric[j] ? measure(s, j, lo[j], hi[j]) : masks[j]!.reduce((a, b) => a + b, 0) / s.levels[j];
        volume *= mass[j];
      }
      if (volume > 0) out.push({ value: tree.value[node], lo: lo.slice(), hi: hi.slice(), masks: masks.map((m) => m && m.slice()), mass, volume });
      return;
    }
    if (s.numeric[f]) {
      const t = tree.threshold[node];
      const oldHi = hi[f];
      hi[f] = Math.min(oldHi, t);
      visit(tree.left[node]);
      hi[f] = oldHi;
      const oldLo = lo[f];
      lo[f] = Math.max(oldLo, t);
      visit(tree.right[node]);
      lo[f] = oldLo;
    } else {
      const set = tree.catLeft[node]!;
      const old = masks[f]!;
      masks[f] = Uint8Array.from(old, (a, l) => a & set[l]);
      visit(tree.left[node]);
      masks[f] = Uint8Array.from(old, (a, l) => a & (1 - set[l]));
      visit(tree.right[node]);
      masks[f] = old;
    }
  };
  visit(0);
  return out;
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
    for (let j = 0; j < p; j++) (sum[j] += fractions[j]), (sumSq[j] += fractions[j] ** 2);
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

function treeMainEffects(tree: Tree, s: Space): Float64Array | null {
  const leaves = leavesOf(tree, s);
  const p = s.numeric.length;
  let mean = 0;
  for (const l of leaves) mean += l.volume * l.value;
  let total = 0;
  for (const l of leaves) total += l.volume * (l.value - mean) ** 2;
  if (!(total > 1e-300)) return null;
  const out = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    let pieces: Float64Array;
    let weights: Float64Array;
    if (s.numeric[j]) {
      const cuts = [...new Set(tree.threshold.filter((t, node) => tree.feature[node] === j))].sort((a, b) => a - b);
      if (!cuts.length) continue;
      const bounds = [-Infinity, ...cuts, Infinity];
      const pos = new Map(bounds.map((b, i) => [b, i]));
      weights = Float64Array.from({ length: bounds.length - 1 }, (_, i) => measure(s, j, bounds[i], bounds[i + 1]));
      const diff = new Float64Array(bounds.length);
      for (const l of leaves) {
        const c = (l.value * l.volume) / l.mass[j];
        diff[pos.get(l.lo[j])!] += c;
        diff[pos.get(l.hi[j])!] -= c;
      }
      pieces = new Float64Array(bounds.length - 1);
      let run = 0;
      for (let i = 0; i < pieces.length; i++) pieces[i] = run += diff[i];
    } else {
      const L = s.levels[j];
      if (!tree.feature.includes(j)) continue;
      weights = new Float64Array(L).fill(1 / L);
      pieces = new Float64Array(L);
      for (const l of leaves) {
        const c = (l.value * l.volume) / l.mass[j];
        const m = l.masks[j]!;
        for (let v = 0; v < L; v++) if (m[v]) pieces[v] += c;
      }
    }
    let v = 0;
    for (let i = 0; i < pieces.length; i++) v += weights[i] * (pieces[i] - mean) ** 2;
    out[j] = v / total;
  }
  return out;
}
