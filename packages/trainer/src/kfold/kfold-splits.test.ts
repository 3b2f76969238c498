import { describe, expect, it } from "vitest";
import { kfoldSplits, meanStd } from "./kfold-splits";

describe("kfoldSplits", () => {
  const items = Array.from({ length: 23 }, (_, i) => i);
  it("validates every item exactly once, deterministically by seed", () => {
    const folds = kfoldSplits(items, 5, 9);
    expect(kfoldSplits(items, 5, 9)).toEqual(folds);
    expect(kfoldSplits(items, 5, 10)).not.toEqual(folds);
    expect(folds.map((f) => f.validation.length)).toEqual([5, 4, 5, 4, 5]);
    expect(folds.flatMap((f) => f.validation).sort((a, b) => a - b)).toEqual(items);
    for (const f of folds) {
      expect(f.train.length + f.validation.length).toBe(23);
      expect(f.train.some((x) => f.validation.includes(x))).toBe(false);
    }
  });
  it("rejects impossible k", () => {
    expect(() => kfoldSplits(items, 1, 0)).toThrow("kfold.k: expected an integer >= 2, got 1");
    expect(() => kfoldSplits([1, 2], 3, 0)).toThrow("kfold.k: expected at most 2 folds for 2 examples, got 3");
  });
  it("reports the sample standard deviation", () => {
    expect(meanStd([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(5 / 3) });
    expect(meanStd([7])).toEqual({ mean: 7, std: 0 });
  });
});
