import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { NF4_TABLE, QUANT_BLOCK, blockScales, dequantizeTensor, dequantizeValues, quantizeWeight, quantizedBytes } from "./quantize-weight";
import { createRng, normalArray } from "../models/rng";
import { maxAbsDiff } from "../../test/test-models";

beforeAll(async () => {
  await initBackend();
});

/** Inverse normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
function normPpf(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -normPpf(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

const linspace = (a: number, b: number, n: number) => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

describe("NF4", () => {
  it("the table is the normalised normal-quantile construction of QLoRA (offset 0.9677)", () => {
    const offset = 0.9677083;
    const pos = linspace(offset, 0.5, 9).slice(0, -1).map(normPpf);
    const neg = linspace(offset, 0.5, 8).slice(0, -1).map((p) => -normPpf(p));
    const vals = [...pos, 0, ...neg].sort((x, y) => x - y);
    const max = Math.max(...vals.map(Math.abs));
    const built = vals.map((v) => v / max);
    expect(built).toHaveLength(16);
    expect(maxAbsDiff(built, NF4_TABLE)).toBeLessThan(1e-6);
    expect(NF4_TABLE[7]).toBe(0); // an exact zero
  });

  it("blockwise round trip: error within half the widest code gap times each block's absmax", () => {
    const rng = createRng(3);
    const w = normalArray(rng, 64 * 40 + 17, 0.05); // not a multiple of the block size
    const q = quantizeWeight(w, [w.length], 4);
    expect(q.codes.length).toBe(Math.ceil(w.length / 2));
    expect(q.absmax!.length).toBe(Math.ceil(w.length / QUANT_BLOCK));
    const back = dequantizeValues(q);
    let maxGap = 0;
    for (let i = 1; i < 16; i++) maxGap = Math.max(maxGap, NF4_TABLE[i] - NF4_TABLE[i - 1]);
    let sq = 0;
    for (let i = 0; i < w.length; i++) {
      const s = q.absmax![Math.floor(i / QUANT_BLOCK)];
      expect(Math.abs(back[i] - w[i])).toBeLessThanOrEqual((maxGap / 2) * s + 1e-7);
      sq += (back[i] - w[i]) ** 2;
    }
    // Mean error of NF4 on normal data is about 10% of the per-block std; the absmax entry is exact.
    expect(Math.sqrt(sq / w.length)).toBeLessThan(0.012);
    for (let b = 0; b < q.absmax!.length; b++) {
      let arg = b * QUANT_BLOCK;
      for (let i = b * QUANT_BLOCK; i < Math.min(w.length, (b + 1) * QUANT_BLOCK); i++) if (Math.abs(w[i]) > Math.abs(w[arg])) arg = i;
      expect(back[arg]).toBeCloseTo(w[arg], 6);
    }
  });

  it("8-bit blockwise is ~16x more precise than 4-bit; double quantization stays close and shrinks the constants", () => {
    const w = normalArray(createRng(4), 64 * 512, 0.02);
    const err = (q: ReturnType<typeof quantizeWeight>) => Math.sqrt(dequantizeValues(q).reduce((s, v, i) => s + (v - w[i]) ** 2, 0) / w.length);
    const q4 = quantizeWeight(w, [256, 128], 4);
    const q8 = quantizeWeight(w, [256, 128], 8);
    const q4d = quantizeWeight(w, [256, 128], 4, true);
    expect(err(q8)).toBeLessThan(err(q4) / 8);
    expect(err(q4d)).toBeLessThan(err(q4) * 1.05);
    expect(maxAbsDiff(blockScales(q4d), q4.absmax!)).toBeLessThan(0.01 * Math.max(...q4.absmax!));
    // 4 bits per weight + 32 bits per 64 weights = 4.5 bits; double quantization: 4 + 8/64 + 32/(64·256) bits.
    expect(quantizedBytes(q4)).toBe(w.length / 2 + (w.length / 64) * 4);
    expect(quantizedBytes(q4d)).toBe(w.length / 2 + w.length / 64 + (w.length / 64 / 256) * 4 + 4);
    expect(quantizedBytes(q8)).toBe(w.length + (w.length / 64) * 4);
  });

  it("dequantizes on the backend exactly as in JS", () => {
    const w = normalArray(createRng(5), 96 * 32, 0.1);
    for (const q of [quantizeWeight(w, [96, 32], 4), quantizeWeight(w, [96, 32], 8, true)]) {
      const t = dequantizeTensor(q);
      expect(t.shape).toEqual([96, 32]);
      expect(maxAbsDiff(t.dataSync(), dequantizeValues(q))).toBeLessThan(1e-7);
      t.dispose();
    }
    expect(tf.memory().numTensors).toBeGreaterThan(0);
  });
});
