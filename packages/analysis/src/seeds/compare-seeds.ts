import { AnalysisInputError } from "../errors";
import { mean, quantile, sampleVariance } from "../math/descriptive";
import { createRng, randomInt } from "../math/rng";
import { studentTQuantile, studentTTwoSidedP } from "../math/special-functions";
import { fmt } from "../overfitting/format-number";
import type { Direction } from "../factors/types";

export interface WelchTest {
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value (scipy.stats.ttest_ind(equal_var=False)). */
  pValue: number;
}

export interface SeedArm {
  label: string;
  /** The target of each seed of one configuration. */
  values: number[];
}

export interface SeedComparison {
  a: { label: string; n: number; mean: number; std: number };
  b: { label: string; n: number; mean: number; std: number };
  /** mean(a) − mean(b). */
  difference: number;
  /** Percentile bootstrap 95% interval of the difference (each arm resampled on its own). */
  ci95: [number, number];
  welch: WelchTest;
  /** The better arm in the target's direction, when the difference stands out of seed noise (p < alpha). */
  winner: "a" | "b" | null;
  /** Seeds per arm that would tell the observed difference apart (two-sided alpha, power 0.8); null when unknown. */
  seedsNeeded: number | null;
  text: string;
}

export interface CompareSeedsOptions {
  direction: Direction;
  alpha?: number;
  /** Bootstrap resamples for the interval (default 2000). */
  bootstrap?: number;
  seed?: number;
}

/** Welch's unequal-variance t-test of two samples. */
export function welchTTest(a: ArrayLike<number>, b: ArrayLike<number>): WelchTest {
  const va = sampleVariance(a) / a.length;
  const vb = sampleVariance(b) / b.length;
  const se2 = va + vb;
  const t = (mean(a) - mean(b)) / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1));
  if (a.length < 2 || b.length < 2 || !Number.isFinite(df)) return { t: se2 === 0 && mean(a) !== mean(b) ? Math.sign(mean(a) - mean(b)) * Infinity : NaN, df: NaN, pValue: NaN };
  return { t, df, pValue: studentTTwoSidedP(t, df) };
}

/**
 * Smallest n per arm for which a two-sample t-test of level `alpha` detects a true difference
 * `delta` with power 0.8 given a per-seed std `sigma` (normal-theory approximation with t quantiles).
 */
export function seedsPerArm(delta: number, sigma: number, alpha = 0.05, power = 0.8, max = 1000): number | null {
  if (!(Math.abs(delta) > 0) || !(sigma > 0)) return null;
  for (let n = 2; n <= max; n++) {
    const df = 2 * n - 2;
    const need = (2 * (studentTQuantile(1 - alpha / 2, df) + studentTQuantile(power, df)) ** 2 * sigma * sigma) / (delta * delta);
    if (n >= need) return n;
  }
  return null;
}

function describeArm(arm: SeedArm) {
  const std = Math.sqrt(sampleVariance(arm.values));
  return { label: arm.label, n: arm.values.length, mean: mean(arm.values), std };
}

const seedsText = (a: number, b: number) => (a === b ? `${a} seed${a === 1 ? "" : "s"} each` : `${a} and ${b} seeds`);
const fmtP = (p: number) => (p < 0.001 ? "p < 0.001" : `p = ${fmt(p, 2)}`);

/**
 * Two configurations, each run with several seeds: is the difference of their target larger
 * than seed noise? Welch's t-test for the p-value, a bootstrap interval for the size, and when
 * it is not distinguishable, how many seeds per arm would tell the observed difference apart.
 */
export function compareSeeds(a: SeedArm, b: SeedArm, options: CompareSeedsOptions): SeedComparison {
  for (const [name, arm] of [["a", a], ["b", b]] as const) {
    if (!arm || !Array.isArray(arm.values) || arm.values.length === 0 || arm.values.some((v) => typeof v !== "number" || !Number.isFinite(v)))
      throw new AnalysisInputError(`${name}.values`, "a non-empty array of finite numbers", arm?.values);
  }
  if (options?.direction !== "minimize" && options?.direction !== "maximize") throw new AnalysisInputError("direction", '"minimize" or "maximize"', options?.direction);
  const alpha = options.alpha ?? 0.05;
  const B = options.bootstrap ?? 2000;
  const A = describeArm(a);
  const Bs = describeArm(b);
  const difference = A.mean - Bs.mean;
  const welch = welchTTest(a.values, b.values);
  const rng = createRng(options.seed ?? 42);
  const diffs = new Float64Array(B);
  for (let k = 0; k < B; k++) {
    let sa = 0;
    let sb = 0;
    for (let i = 0; i < a.values.length; i++) sa += a.values[randomInt(rng, a.values.length)];
    for (let i = 0; i < b.values.length; i++) sb += b.values[randomInt(rng, b.values.length)];
    diffs[k] = sa / a.values.length - sb / b.values.length;
  }
  const ci95: [number, number] = B > 0 ? [quantile(diffs, 0.025), quantile(diffs, 0.975)] : [NaN, NaN];
  const pooled = Math.sqrt(((A.n - 1) * (A.std ** 2 || 0) + (Bs.n - 1) * (Bs.std ** 2 || 0)) / Math.max(1, A.n + Bs.n - 2));
  const significant = welch.pValue < alpha;
  const aBetter = options.direction === "minimize" ? difference < 0 : difference > 0;
  const winner = significant ? (aBetter ? "a" : "b") : null;
  const seedsNeeded = seedsPerArm(difference, pooled, alpha);
  const seeds = seedsText(A.n, Bs.n);
  let text: string;
  if (A.n < 2 || Bs.n < 2) {
    text = `${A.n < 2 ? a.label : b.label} has a single seed: run at least 2 seeds per configuration to tell a difference from seed noise.`;
  } else if (winner) {
    const [w, l] = winner === "a" ? [a.label, b.label] : [b.label, a.label];
    const half = (ci95[1] - ci95[0]) / 2;
    text = `${w} beats ${l} by ${fmt(Math.abs(difference), 2)} ± ${fmt(half, 1)} (${fmtP(welch.pValue)}, ${seeds}).`;
  } else {
    const more =
      seedsNeeded !== null
        ? `; about ${seedsNeeded} seeds per arm would tell a ${fmt(Math.abs(difference), 1)} difference apart`
        : Math.abs(difference) > 0
          ? `; more than 1000 seeds per arm would be needed to tell a ${fmt(Math.abs(difference), 1)} difference apart`
          : "";
    text = `${a.label} vs ${b.label}: not distinguishable from seed noise with ${seeds} (difference ${fmt(difference, 2)}, ${Number.isFinite(welch.pValue) ? fmtP(welch.pValue) : "no spread to test"})${more}.`;
  }
  return { a: A, b: Bs, difference, ci95, welch, winner, seedsNeeded: A.n >= 2 && Bs.n >= 2 ? seedsNeeded : null, text };
}
