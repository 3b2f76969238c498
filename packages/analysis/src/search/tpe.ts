import { normalCdf } from "../math/special-functions";
import { createRng, type Rng } from "../math/rng";
import { bounds, fromUnit, isRange, sampleSpace, toUnit, type Assignment, type SearchSpace, type SpaceParam } from "./search-space";

export interface TpeObservation {
  assignment: Assignment;
  /** Lower is better (negate a metric to maximize). */
  loss: number;
}

export interface TpeOptions {
  /** Random draws before the model is used (default 5). */
  startupTrials?: number;
  /** Fraction of observations that make up the "good" density l(x) (default 0.25). */
  gamma?: number;
  /** Candidates drawn from l(x) per key; the one with the largest l(x)/g(x) is kept (default 24). */
  candidates?: number;
  seed?: number;
}

/**
 * Tree-structured Parzen Estimator (Bergstra et al., 2011), independent per key as in Optuna's
 * default: split the finished observations at the gamma quantile of the loss, fit a Parzen density to
 * each side (Gaussians in the sampling space, truncated to the range, plus a flat prior;
 * smoothed counts for lists of values), draw candidates from the good density and keep the one
 * that maximizes l(x)/g(x). Deterministic for a seed and history.
 */
export function suggestTpe(space: SearchSpace, history: readonly TpeObservation[], options: TpeOptions = {}): Assignment {
  const rng = createRng((options.seed ?? 0) * 7919 + history.length * 104_729 + 17);
  const usable = history.filter((h) => Number.isFinite(h.loss));
  if (usable.length < (options.startupTrials ?? 5)) return sampleSpace(space, rng);
  const sorted = [...usable].sort((a, b) => a.loss - b.loss);
  const nBelow = Math.max(1, Math.ceil((options.gamma ?? 0.25) * sorted.length));
  const below = sorted.slice(0, nBelow);
  const above = sorted.slice(nBelow);
  const out: Assignment = {};
  for (const [key, p] of Object.entries(space)) {
    const pick = (obs: TpeObservation[]) => obs.map((o) => o.assignment[key]).filter((v) => v !== undefined);
    out[key] = isRange(p) ? suggestRange(p, pick(below) as number[], pick(above) as number[], rng, options.candidates ?? 24) : suggestValue(p, pick(below), pick(above), rng, options.candidates ?? 24);
  }
  return out;
}

type Range = Extract<SpaceParam, { min: number }>;
type Parzen = { mus: number[]; sigmas: number[]; lo: number; hi: number };

function fitParzen(p: Range, xs: number[]): Parzen {
  const [lo, hi] = bounds(p);
  const width = hi - lo || 1;
  // The prior: one wide Gaussian at the centre of the range.
  const mus = [...xs.map((x) => (p.distribution === "int_uniform" ? x : toUnit(p, x))), (lo + hi) / 2];
  const order = mus.map((_, i) => i).sort((a, b) => mus[a] - mus[b]);
  const sigmas = new Array<number>(mus.length);
  const minSigma = width / Math.min(100, mus.length + 1);
  order.forEach((idx, rank) => {
    const left = rank > 0 ? mus[idx] - mus[order[rank - 1]] : mus[idx] - lo;
    const right = rank < order.length - 1 ? mus[order[rank + 1]] - mus[idx] : hi - mus[idx];
    sigmas[idx] = Math.min(width, Math.max(minSigma, left, right));
  });
  sigmas[mus.length - 1] = width;
  return { mus, sigmas, lo, hi };
}

function density(f: Parzen, u: number): number {
  let sum = 0;
  for (let i = 0; i < f.mus.length; i++) {
    const s = f.sigmas[i];
    const mass = normalCdf((f.hi - f.mus[i]) / s) - normalCdf((f.lo - f.mus[i]) / s);
    const z = (u - f.mus[i]) / s;
    sum += Math.exp(-0.5 * z * z) / (s * Math.sqrt(2 * Math.PI) * Math.max(mass, 1e-12));
  }
  return sum / f.mus.length;
}

function sampleParzen(f: Parzen, rng: Rng): number {
  const i = Math.floor(rng() * f.mus.length);
  for (let tries = 0; tries < 100; tries++) {
    // Box–Muller, rejected outside the range (a truncated Gaussian).
    const g = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    const u = f.mus[i] + f.sigmas[i] * g;
    if (u >= f.lo && u <= f.hi) return u;
  }
  return Math.min(f.hi, Math.max(f.lo, f.mus[i]));
}

function suggestRange(p: Range, below: number[], above: number[], rng: Rng, candidates: number): number {
  const l = fitParzen(p, below);
  const g = fitParzen(p, above);
  let best = NaN;
  let bestScore = -Infinity;
  for (let c = 0; c < candidates; c++) {
    const u = sampleParzen(l, rng);
    const score = Math.log(density(l, u)) - Math.log(density(g, u));
    if (score > bestScore) [best, bestScore] = [u, score];
  }
  return p.distribution === "int_uniform" ? fromUnit(p, best) : fromUnit(p, best);
}

function suggestValue(p: { values: readonly unknown[] }, below: unknown[], above: unknown[], rng: Rng, candidates: number): unknown {
  const key = (v: unknown) => JSON.stringify(v);
  const weights = (obs: unknown[]) => {
    const counts = p.values.map(() => 1);
    for (const v of obs) {
      const i = p.values.findIndex((x) => key(x) === key(v));
      if (i >= 0) counts[i]++;
    }
    const total = counts.reduce((a, b) => a + b, 0);
    return counts.map((c) => c / total);
  };
  const l = weights(below);
  const g = weights(above);
  let best = 0;
  let bestScore = -Infinity;
  for (let c = 0; c < candidates; c++) {
    let r = rng();
    let i = 0;
    while (i < l.length - 1 && r >= l[i]) r -= l[i++];
    const score = Math.log(l[i]) - Math.log(g[i]);
    if (score > bestScore) [best, bestScore] = [i, score];
  }
  return p.values[best];
}
