import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { roundHalfEven } from "./round-half-even";
import { computeQuantParams, MIN_SCALE } from "./quant-params";
import { affineBytes, dequantizeAffine, quantizeAffine } from "./quantize-affine";
import { fakeQuantize } from "./fake-quantize";

const f32 = (xs: number[]) => Float32Array.from(xs);

describe("round half to even", () => {
  it("rounds ties to the even neighbour, like tf.round and torch.round", async () => {
    await initBackend();
    const xs = [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 2.4, 2.6, -2.6, 7, -7];
    const expected = [0, 2, 2, 4, -0, -2, -2, 2, 3, -3, 7, -7];
    expect(xs.map(roundHalfEven)).toEqual(expected);
    expect(Array.from(tf.round(tf.tensor1d(xs)).dataSync())).toEqual(expected);
  });
});

describe("affine quantization (hand-computed)", () => {
  it("symmetric 4-bit per tensor: scale = max|x| / 7, zero point 0, ties to even", () => {
    const x = f32([-3.5, -1.25, -0.25, 0.25, 0.75, 1.0, 3.5]);
    const q = quantizeAffine(x, [7], { bits: 4, scheme: "symmetric", granularity: "tensor" });
    expect(q.scales[0]).toBe(0.5);
    expect(q.zeroPoints[0]).toBe(0);
    // x / 0.5 = -7, -2.5, -0.5, 0.5, 1.5, 2, 7
    expect(Array.from(q.codes)).toEqual([-7, -2, 0, 0, 2, 2, 7]);
    expect(Array.from(dequantizeAffine(q))).toEqual([-3.5, -1, 0, 0, 1, 1, 3.5]);
    expect(affineBytes(q)).toBe(4 + 4); // 7 values · 4 bits -> 4 bytes, one fp32 scale
  });

  it("symmetric 8-bit per tensor uses ±127", () => {
    const p = computeQuantParams(-2, 1, 8, "symmetric");
    expect(p).toEqual({ scale: Math.fround(2 / 127), zeroPoint: 0, qmin: -127, qmax: 127 });
    const q = quantizeAffine(f32([-2, 1, 0]), [3], { bits: 8, scheme: "symmetric", granularity: "tensor" });
    expect(Array.from(q.codes)).toEqual([-127, 64, 0]); // 1 / (2/127) = 63.5 -> 64 (even)
  });

  it("asymmetric 8-bit: scale and zero point from min and max", () => {
    const p = computeQuantParams(-1, 3, 8, "asymmetric");
    expect(p.scale).toBe(Math.fround(4 / 255));
    expect(p.zeroPoint).toBe(64); // 0 - round(-1 / (4/255)) = round(63.75) = 64
    const q = quantizeAffine(f32([-1, 0, 3]), [3], { bits: 8, scheme: "asymmetric", granularity: "tensor" });
    expect(Array.from(q.codes)).toEqual([0, 64, 255]);
    const back = dequantizeAffine(q);
    expect(back[1]).toBe(0); // zero is exact
    expect(back[0]).toBeCloseTo(-64 * (4 / 255), 6);
    expect(back[2]).toBeCloseTo(191 * (4 / 255), 6);
  });

  it("asymmetric 4-bit widens the range to include 0 and rounds ties to even", () => {
    // [1, 5.5] is widened to [0, 5.5]... use [-2, 5.5]: scale 7.5 / 15 = 0.5, zero point 4.
    const q = quantizeAffine(f32([-2, 0.75, 1.25, 5.5]), [4], { bits: 4, scheme: "asymmetric", granularity: "tensor" });
    expect(q.scales[0]).toBe(0.5);
    expect(q.zeroPoints[0]).toBe(4);
    expect(Array.from(q.codes)).toEqual([0, 6, 6, 15]); // 1.5 -> 2, 2.5 -> 2
    expect(Array.from(dequantizeAffine(q))).toEqual([-2, 1, 1, 5.5]);
    const positive = computeQuantParams(1, 3, 8, "asymmetric");
    expect(positive.zeroPoint).toBe(0);
    expect(positive.scale).toBe(Math.fround(3 / 255));
  });

  it("a constant tensor round-trips (both schemes)", () => {
    const sym = quantizeAffine(f32([0.3, 0.3, 0.3]), [3], { bits: 8, scheme: "symmetric", granularity: "tensor" });
    expect(Array.from(sym.codes)).toEqual([127, 127, 127]);
    for (const v of dequantizeAffine(sym)) expect(v).toBeCloseTo(0.3, 7);
    const asym = quantizeAffine(f32([-2, -2]), [2], { bits: 8, scheme: "asymmetric", granularity: "tensor" });
    expect(asym.zeroPoints[0]).toBe(255);
    expect(Array.from(asym.codes)).toEqual([0, 0]);
    for (const v of dequantizeAffine(asym)) expect(v).toBeCloseTo(-2, 6);
  });

  it("per output channel: an all-zero channel gets the minimum scale and stays exactly zero", () => {
    // weights are [in, out]; channel axis 1. Column 0 is all zero, column 1 spans [-2, 1].
    const w = f32([0, 1, 0, -2]);
    for (const scheme of ["symmetric", "asymmetric"] as const) {
      const q = quantizeAffine(w, [2, 2], { bits: 8, scheme, granularity: "channel" });
      expect(q.axis).toBe(1);
      expect(q.scales[0]).toBe(Math.fround(MIN_SCALE));
      expect(q.zeroPoints[0]).toBe(0);
      const back = dequantizeAffine(q);
      expect([back[0], back[2]]).toEqual([0, 0]);
      expect(back[3]).toBeCloseTo(-2, 6);
    }
    const sym = quantizeAffine(w, [2, 2], { bits: 8, scheme: "symmetric", granularity: "channel" });
    expect(Array.from(sym.codes)).toEqual([0, 64, 0, -127]);
    // asymmetric channel 1: [-2, 1] -> scale 3/255, zero point round(170) = 170
    const asym = quantizeAffine(w, [2, 2], { bits: 8, scheme: "asymmetric", granularity: "channel" });
    expect(asym.zeroPoints[1]).toBe(170);
    expect(Array.from(asym.codes)).toEqual([0, 255, 0, 0]);
    expect(affineBytes(asym)).toBe(4 + 2 * 4 + 2);
  });

  it("rejects bad options with the field named", () => {
    expect(() => quantizeAffine(f32([1]), [1], { bits: 1, scheme: "symmetric", granularity: "tensor" })).toThrow(/bits/);
    expect(() => quantizeAffine(f32([1, 2]), [1], { bits: 8, scheme: "symmetric", granularity: "tensor" })).toThrow(/shape/);
    expect(() => quantizeAffine(f32([1]), [1], { bits: 8, scheme: "x" as never, granularity: "tensor" })).toThrow(/scheme/);
  });
});

describe("fake quantization with the straight-through estimator", () => {
  it("forward equals quantize->dequantize; gradient is 1 inside the range and 0 outside", async () => {
    await initBackend();
    // symmetric 4-bit, scale 0.5: representable range [-3.5, 3.5]
    const x = tf.tensor1d([-5, -3.5, -1.25, 0.3, 3.4, 3.74, 3.76, 9]);
    const s = tf.scalar(0.5);
    const z = tf.scalar(0);
    const y = fakeQuantize(x, s, z, -7, 7);
    expect(Array.from(y.dataSync())).toEqual([-3.5, -3.5, -1, 0.5, 3.5, 3.5, 3.5, 3.5]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(fakeQuantize(t, s, z, -7, 7)))(x);
    // 3.74/0.5 = 7.48 rounds to 7 (inside); 3.76/0.5 = 7.52 rounds to 8 (clamped)
    expect(Array.from(g.dataSync())).toEqual([0, 1, 1, 1, 1, 1, 0, 0]);
  });

  it("per-channel scales broadcast over the output axis", async () => {
    await initBackend();
    const w = tf.tensor2d([[1, 10], [-1, -30]]);
    const s = tf.tensor2d([[1 / 127, 10 / 127]]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(fakeQuantize(t, s, tf.zeros([1, 2]), -127, 127)))(w);
    expect(Array.from(g.dataSync())).toEqual([1, 1, 1, 0]);
  });
});
