import { createRng, shuffleWith } from "./create-rng";

export interface SplitSpec {
  seed: number;
  /** Fraction (< 1) or count (>= 1) of examples for validation. */
  validation: number;
  /** Fraction (< 1) or count (>= 1) of examples for test. */
  test: number;
}

export interface DatasetSplits<T> {
  train: T[];
  validation: T[];
  test: T[];
}

/** Deterministic train/validation/test split: the same records and seed always give the same splits. */
export function splitDataset<T>(items: readonly T[], spec: SplitSpec): DatasetSplits<T> {
  const n = items.length;
  const size = (v: number, name: string) => {
    if (!(v >= 0)) throw new Error(`split.${name}: expected a fraction in [0, 1) or a count >= 1, got ${v}`);
    return v < 1 ? (v > 0 ? Math.max(1, Math.round(v * n)) : 0) : Math.floor(v);
  };
  const nVal = size(spec.validation, "validation");
  const nTest = size(spec.test, "test");
  if (nVal + nTest >= n) {
    throw new Error(`split: expected validation (${nVal}) + test (${nTest}) to leave training examples out of ${n}; use smaller fractions or a larger dataset`);
  }
  const shuffled = shuffleWith(items, createRng(spec.seed));
  return { validation: shuffled.slice(0, nVal), test: shuffled.slice(nVal, nVal + nTest), train: shuffled.slice(nVal + nTest) };
}
