import { describe, expect, it } from "vitest";
import { AnalysisInputError } from "../errors";
import { downsampleMinMax } from "./downsample-min-max";
import { emaSmooth } from "./ema-smooth";
import { gaussianSmooth } from "./gaussian-smooth";
import { lttb } from "./lttb";
import { toSeries } from "./read-series";
import { runningAverage } from "./running-average";

const pts = (values: number[], stepOf = (i: number) => i * 10) => values.map((value, i) => ({ step: stepOf(i), value }));

describe("emaSmooth", () => {
  it("matches TensorBoard's debiased EMA by hand", () => {
    const out = emaSmooth(pts([1, 2, 3]), 0.5);
    // last: 0.5, 1.25, 2.125; debias: 0.5, 0.75, 0.875
    expect(out.map((p) => p.value)).toEqual([1, 1.25 / 0.75, 2.125 / 0.875]);
  });
  it("keeps steps, passes NaN/Inf through and skips them in the average", () => {
    const out = emaSmooth(pts([1, NaN, 3, Infinity]), 0.5);
    expect(out.map((p) => p.step)).toEqual([0, 10, 20, 30]);
    expect(out[1].value).toBeNaN();
    expect(out[3].value).toBe(Infinity);
    expect(out[2].value).toBeCloseTo((0.25 + 1.5) / 0.75, 12);
  });
  it("keeps a constant curve exactly constant and sorts unsorted input", () => {
    expect(emaSmooth(pts([0.1, 0.1, 0.1]), 0.9).map((p) => p.value)).toEqual([0.1, 0.1, 0.1]);
    expect(emaSmooth([{ step: 5, value: 1 }, { step: 1, value: 3 }], 0).map((p) => p.step)).toEqual([1, 5]);
  });
  it("rejects bad input naming the field", () => {
    expect(() => emaSmooth(pts([1]), 1)).toThrow(/weight: expected a number in \[0, 1\)/);
    expect(() => emaSmooth([{ step: "a" as never, value: 1 }])).toThrow(AnalysisInputError);
    expect(() => emaSmooth([{ step: 1, value: "x" as never }])).toThrow(/series\[0\]\.value/);
  });
});

describe("gaussianSmooth and runningAverage", () => {
  it("gaussian weights by step distance, not index", () => {
    const out = gaussianSmooth([{ step: 0, value: 0 }, { step: 1, value: 1 }, { step: 100, value: 100 }], 1);
    const w = Math.exp(-0.5);
    expect(out[0].value).toBeCloseTo(w / (1 + w), 12);
    expect(out[2].value).toBe(100);
  });
  it("running average centered and trailing, NaN kept", () => {
    const s = pts([1, 2, NaN, 4, 5]);
    expect(runningAverage(s, 3).map((p) => p.value)).toEqual([1.5, 1.5, NaN, 4.5, 4.5]);
    expect(runningAverage(s, 2, { align: "trailing" }).map((p) => p.value)).toEqual([1, 1.5, NaN, 4, 4.5]);
  });
});

describe("downsampling", () => {
  const n = 10_000;
  const wave = pts(Array.from({ length: n }, (_, i) => Math.sin(i / 50) + (i === 7777 ? 10 : 0)));
  it("min/max keeps first, last, extremes, and at most N points in step order", () => {
    const out = downsampleMinMax(wave, 200);
    expect(out.length).toBeLessThanOrEqual(200);
    expect(out.length).toBeGreaterThan(150);
    expect(out[0]).toEqual(wave[0]);
    expect(out[out.length - 1]).toEqual(wave[n - 1]);
    expect(out.some((p) => p.step === 77770)).toBe(true);
    for (let i = 1; i < out.length; i++) expect(out[i].step).toBeGreaterThan(out[i - 1].step);
  });
  it("never hides NaN points", () => {
    const s = wave.map((p, i) => (i === 4321 ? { ...p, value: NaN } : p));
    const mm = downsampleMinMax(s, 100);
    expect(mm.some((p) => Number.isNaN(p.value))).toBe(true);
    for (let i = 1; i < mm.length; i++) expect(mm[i].step).toBeGreaterThan(mm[i - 1].step);
    const l = lttb(s, 100);
    expect(l.length).toBeLessThanOrEqual(100);
    expect(l.some((p) => p.step === 43210 && Number.isNaN(p.value))).toBe(true);
  });
  it("lttb keeps the spike and the ends", () => {
    const out = lttb(wave, 100);
    expect(out.length).toBe(100);
    expect(out.some((p) => p.step === 77770)).toBe(true);
    expect(out[0].step).toBe(0);
    expect(out[99].step).toBe((n - 1) * 10);
  });
  it("returns short series unchanged and converts columns", () => {
    expect(lttb(pts([1, 2]), 10)).toEqual(pts([1, 2]));
    expect(toSeries({ step: [1, 2], value: [0.5, null], time: [10, 11] })).toEqual([
      { step: 1, value: 0.5, time: 10 },
      { step: 2, value: NaN, time: 11 },
    ]);
    expect(() => downsampleMinMax(pts([1]), 1)).toThrow(/maxPoints/);
  });
});
