import { mean, sampleVariance } from "@finetrack/analysis";
import { createRng, shuffleWith } from "../data/create-rng";

/** k folds of a deterministic shuffle: fold i validates on the i-th contiguous chunk and trains on
 *  the rest; chunk sizes differ by at most one and every item validates exactly once. */
export function kfoldSplits<T>(items: readonly T[], k: number, seed: number): { train: T[]; validation: T[] }[] {
  if (!Number.isInteger(k) || k < 2) throw new Error(`kfold.k: expected an integer >= 2, got ${k}`);
  if (items.length < k) throw new Error(`kfold.k: expected at most ${items.length} folds for ${items.length} examples, got ${k}`);
  const shuffled = shuffleWith(items, createRng(seed));
  const bounds = Array.from({ length: k + 1 }, (_, i) => Math.round((i * shuffled.length) / k));
  return Array.from({ length: k }, (_, i) => ({
    validation: shuffled.slice(bounds[i], bounds[i + 1]),
    train: [...shuffled.slice(0, bounds[i]), ...shuffled.slice(bounds[i + 1])],
  }));
}

/** Mean and sample standard deviation (n - 1), the usual way to report cross-validation. */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  if (values.length === 0) return { mean: NaN, std: NaN };
  // One fold has no spread to report: 0, not sampleVariance's NaN.
  return { mean: mean(values), std: values.length > 1 ? Math.sqrt(sampleVariance(values)) : 0 };
}
