import { describe, expect, it } from "vitest";
import { mergeMetricStat } from "./metric-stats";
import { bucketize, coarsen, levelFor, maxBucketsFor, samplePoints, tierBuckets, type Point } from "./tiers";

const pt = (step: number, value: number): Point => ({ step, value, epoch: null, time: step });

describe("tiers", () => {
  it("coarsening level L gives the same buckets as bucketizing at L+1", () => {
    const points = Array.from({ length: 1000 }, (_, i) => pt(i * 3, Math.sin(i / 7) + (i % 13 === 0 ? NaN : 0)));
    for (let level = 0; level < 12; level++) {
      expect(coarsen(bucketize(points, level))).toEqual(bucketize(points, level + 1));
    }
  });

  it("a bucket holding a NaN keeps it as its max, its min is its smallest number, ties go to the smaller step", () => {
    const [b] = bucketize([pt(0, 5), pt(1, 2), pt(2, -1), pt(3, NaN), pt(4, -1), pt(5, NaN)], 4);
    expect([b.min.step, b.min.value, b.max.step, Number.isNaN(b.max.value), b.count]).toEqual([2, -1, 3, true, 6]);
    const [numbers] = bucketize([pt(1, 2), pt(2, -1), pt(3, 2), pt(4, -1)], 4);
    expect([numbers.min.step, numbers.max.step]).toEqual([2, 1]);
    const [inf] = bucketize([pt(0, 1), pt(1, Infinity), pt(2, -Infinity)], 4);
    expect([inf.min.value, inf.max.value]).toEqual([-Infinity, Infinity]);
    const [allNaN] = bucketize([pt(7, NaN), pt(3, NaN)].sort((a, c) => a.step - c.step), 4);
    expect([allNaN.min.step, allNaN.max.step]).toEqual([3, 3]);
  });

  it("keeps levels 4..30 and the top level is one bucket", () => {
    const levels = tierBuckets([pt(0, 1), pt(100_000, 2)]);
    expect(levels[0].level).toBe(4);
    expect(levels.at(-1)!.level).toBe(30);
    expect(levels.at(-1)!.buckets).toHaveLength(1);
  });

  it("chooses the smallest level that fits the bucket budget", () => {
    expect(levelFor(0, 9_999, maxBucketsFor(1_000))).toBe(5);
    expect(levelFor(0, 99, 499)).toBe(0);
    expect(levelFor(0, 2_147_483_647, 1)).toBe(31);
  });

  it("sampling keeps first, last and each bucket's extremes once, in step order", () => {
    const points = [pt(0, 5), pt(1, 9), pt(2, 1), pt(3, 4), pt(4, 4), pt(5, 0), pt(6, 7), pt(7, 3)];
    const sample = samplePoints(points[0], points[7], bucketize(points, 2));
    expect(sample.map((p) => p.step)).toEqual([0, 1, 2, 5, 6, 7]);
  });
});

describe("mergeMetricStat", () => {
  it("tracks count, first, last, min and max across batches", () => {
    let s = mergeMetricStat(undefined, [pt(10, 3), pt(11, NaN), pt(12, 1)]);
    s = mergeMetricStat(s, [pt(5, 2), pt(20, Infinity)]);
    expect(s).toEqual({ count: 5, first: 2, firstStep: 5, last: Infinity, lastStep: 20, min: 1, minStep: 12, max: Infinity, maxStep: 20 });
  });
});
