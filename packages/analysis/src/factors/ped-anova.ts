import { AnalysisInputError } from "../errors";
import { normalCdf } from "../math/special-functions";
import { encodeFactors, MISSING_NUMERIC, type EncodedRuns } from "./encode-factors";
import type { Direction, FactorAnalysisOptions, FactorInfo, FactorRun } from "./types";

export interface FactorPedAnova {
  name: string;
  /** Share of the summed divergences (Optuna's normalised importance). */
  importance: number;
  /** Pearson χ² divergence between the top-quantile and all-runs densities of the factor. */
  divergence: number;
}

export interface PedAnovaResult {
  factors: FactorPedAnova[];
  /** Runs in the top quantile (the "good" runs the densities compare). */
  topRuns: number;
  runs: number;
  info: FactorInfo[];
  skipped: { id: string; reason: string }[];
}

export interface PedAnovaOptions extends FactorAnalysisOptions {
  /** Top fraction of runs counted as good. Default 0.1 (Optuna's baseline_quantile). */
  quantile?: number;
  /** Grid points of numeric factors. Default 50. */
  steps?: number;
}

const MIN_TOP = 2;
const PRIOR_WEIGHT = 1;

/**
 * PED-ANOVA (Watanabe et al. 2023; Optuna's PedAnovaImportanceEvaluator): for each factor, compare
 * the Parzen density of the top-`quantile` runs with that of all runs by Pearson χ² divergence
 * on a 50-point grid (Scott bandwidth, discrete truncated normals plus a wide prior kernel).
 * Categorical factors use Optuna's categorical kernel; a missing value (a conditional factor that
 * does not apply) is one more cell of the grid, so conditionals are handled natively.
 */
export function pedAnova(runs: FactorRun[], options: PedAnovaOptions = {}): PedAnovaResult {
  const quantile = options.quantile ?? 0.1;
  if (typeof quantile !== "number" || !(quantile > 0 && quantile <= 1)) throw new AnalysisInputError("quantile", "a number in (0, 1]", quantile);
  const steps = options.steps ?? 50;
  if (!Number.isInteger(steps) || steps < 2) throw new AnalysisInputError("steps", "an integer >= 2", steps);
  const enc = encodeFactors(runs, options);
  return { ...pedAnovaEncoded(enc, options.direction ?? "minimize", quantile, steps), info: enc.factors, skipped: enc.skipped };
}

export function pedAnovaEncoded(enc: EncodedRuns, direction: Direction, quantile: number, steps = 50) {
  const n = enc.y.length;
  const sign = direction === "minimize" ? 1 : -1;
  const loss = Float64Array.from(enc.y, (v) => sign * v);
  const varying = enc.factors.map((f) => f.varies);
  const nVarying = varying.filter(Boolean).length;
  if (n <= MIN_TOP || nVarying === 0) {
    const factors = enc.factors.map((f, j) => ({ name: f.name, importance: varying[j] ? 1 / nVarying : 0, divergence: 0 }));
    return { factors, topRuns: Math.min(n, MIN_TOP), runs: n };
  }
  const sorted = Float64Array.from(loss).sort();
  const cutoff = Math.max(sorted[MIN_TOP - 1], sorted[Math.max(0, Math.ceil(quantile * n) - 1)]);
  const top: number[] = [];
  for (let i = 0; i < n; i++) if (loss[i] <= cutoff) top.push(i);
  const all = Array.from({ length: n }, (_, i) => i);
  const divergence = enc.factors.map((f, j) => {
    if (!varying[j]) return 0;
    const pTop = densityOf(enc, j, top, steps);
    const pAll = densityOf(enc, j, all, steps);
    let d = 0;
    for (let k = 0; k < pAll.length; k++) {
      const a = pAll[k] + 1e-12;
      d += a * ((pTop[k] + 1e-12) / a - 1) ** 2;
    }
    return d;
  });
  const total = divergence.reduce((a, b) => a + b, 0);
  const factors = enc.factors.map((f, j) => ({
    name: f.name,
    importance: total > 0 ? divergence[j] / total : varying[j] ? 1 / nVarying : 0,
    divergence: divergence[j],
  }));
  return { factors, topRuns: top.length, runs: n };
}

/** Density of factor j over its grid cells (plus a "missing" cell for numeric factors with missing values). */
function densityOf(enc: EncodedRuns, j: number, rows: number[], maxSteps: number): Float64Array {
  const f = enc.factors[j];
  const col = enc.columns[j];
  if (f.kind === "categorical") {
    const counts = new Float64Array(f.levels!.length);
    for (const r of rows) counts[col[r]]++;
    return categoricalParzen(counts);
  }
  const raw = enc.raw[j];
  const nSteps = gridSize(f, raw, maxSteps);
  const lo = f.min!;
  const hi = f.max!;
  const step = nSteps > 1 ? (hi - lo) / (nSteps - 1) : 1;
  const counts = new Float64Array(nSteps);
  let missing = 0;
  for (const r of rows) {
    if (col[r] === MISSING_NUMERIC) {
      missing++;
      continue;
    }
    // nearest grid point: first index with grid[i] >= x − step/2 (Optuna's searchsorted)
    const i = Math.ceil((raw[r] - step / 2 - lo) / step - 1e-9);
    counts[Math.min(nSteps - 1, Math.max(0, i))]++;
  }
  const dens = counts.some((c) => c > 0) ? numericParzen(counts) : new Float64Array(nSteps).fill(1 / nSteps);
  if (f.missing === 0) return dens;
  const q = (missing + 0.5) / (rows.length + 1);
  const out = new Float64Array(nSteps + 1);
  for (let i = 0; i < nSteps; i++) out[i] = (1 - q) * dens[i];
  out[nSteps] = q;
  return out;
}

/** Optuna's grid: integers get one cell per value (up to maxSteps), log-scaled integers log2-many. */
function gridSize(f: FactorInfo, raw: Float64Array, maxSteps: number): number {
  if (f.max === f.min) return 1;
  const ints = Array.from(raw).every((v) => Number.isNaN(v) || Number.isInteger(f.kind === "log" ? Math.round(10 ** v * 1e9) / 1e9 : v));
  if (!ints) return maxSteps;
  if (f.kind === "log") {
    const low = 10 ** f.min!;
    const high = 10 ** f.max!;
    return Math.min(maxSteps, Math.ceil(Math.log2(Math.round(high - low) + 1)) + 1);
  }
  return Math.min(maxSteps, Math.round(f.max! - f.min!) + 1);
}

/** Mixture of discrete truncated normals at the occupied cells (Scott bandwidth) plus a wide prior. */
function numericParzen(counts: Float64Array): Float64Array {
  const nSteps = counts.length;
  const mus: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < nSteps; i++) {
    if (!(counts[i] > 0)) continue;
    mus.push(i);
    w.push(counts[i]);
  }
  const nTrials = w.reduce((a, b) => a + b, 0);
  const meanEst = mus.reduce((a, m, k) => a + m * w[k], 0) / nTrials;
  let sigmaEst = Math.sqrt(mus.reduce((a, m, k) => a + (m - meanEst) ** 2 * w[k], 0) / Math.max(1, nTrials - 1));
  const cum: number[] = [];
  w.reduce((a, b, k) => (cum[k] = a + b), 0);
  const q25 = searchSorted(cum, Math.floor(nTrials / 4), "left");
  const q75 = searchSorted(cum, Math.floor((nTrials * 3) / 4), "right");
  const iqr = mus[Math.min(mus.length - 1, q75)] - mus[q25];
  sigmaEst = 1.059 * Math.min(iqr / 1.34, sigmaEst) * nTrials ** -0.2;
  const sigma = Math.max(sigmaEst, 0.5 / 1.64);
  const comps = mus.map((mu, k) => ({ mu, sigma, weight: w[k] }));
  comps.push({ mu: 0.5 * (nSteps - 1), sigma: nSteps, weight: PRIOR_WEIGHT });
  const total = nTrials + PRIOR_WEIGHT;
  const out = new Float64Array(nSteps);
  for (const c of comps) {
    const z = (x: number) => normalCdf((x - c.mu) / c.sigma);
    const norm = z(nSteps - 0.5) - z(-0.5);
    for (let k = 0; k < nSteps; k++) out[k] += ((c.weight / total) * (z(k + 0.5) - z(k - 0.5))) / norm;
  }
  return out;
}

/** Optuna's categorical Parzen estimator: one smoothed kernel per observed level plus a uniform prior. */
function categoricalParzen(counts: Float64Array): Float64Array {
  const C = counts.length;
  const observed: number[] = [];
  for (let i = 0; i < C; i++) if (counts[i] > 0) observed.push(i);
  const nKernels = observed.length + 1;
  const base = PRIOR_WEIGHT / nKernels;
  const rowSum = C * base + 1;
  const nTrials = observed.reduce((a, i) => a + counts[i], 0);
  const total = nTrials + PRIOR_WEIGHT;
  const out = new Float64Array(C).fill((PRIOR_WEIGHT / total) * (1 / C));
  for (const i of observed) {
    const w = counts[i] / total;
    for (let k = 0; k < C; k++) out[k] += (w * (base + (k === i ? 1 : 0))) / rowSum;
  }
  return out;
}

function searchSorted(a: number[], v: number, side: "left" | "right"): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (side === "left" ? a[mid] < v : a[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
