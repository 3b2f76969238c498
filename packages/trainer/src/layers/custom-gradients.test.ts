import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { dense, denseFrozen } from "./dense";
import { causalAttention, causalMask } from "./attention-core";
import { layerNorm } from "./layer-norm";
import { gelu } from "./gelu";
import { embed } from "./embedding";
import { maskedCrossEntropy } from "./cross-entropy";
import { setKernelRoutes } from "./kernel-routes";
import { maxAbsDiff } from "../../test/test-models";

beforeAll(async () => {
  await initBackend();
});

const rand = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, "float32", seed);
/** Gradients of sum(f(...)·r) for a fixed random r, so every output element matters. */
function grads(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[], seed = 99): Float32Array[] {
  return tf.tidy(() => {
    const r = rand(f(...xs).shape, seed);
    const g = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), r)))(xs);
    return g.map((t) => t.dataSync() as Float32Array);
  });
}

describe("custom gradients equal tf autodiff", () => {
  it("dense with bias", () => {
    const x = rand([5, 7], 1), w = rand([7, 3], 2), b = rand([3], 3);
    const ours = grads((a, c, d) => dense(a as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor1D), [x, w, b]);
    const ref = grads((a, c, d) => tf.add(tf.matMul(a as tf.Tensor2D, c as tf.Tensor2D), d), [x, w, b]);
    ours.forEach((g, i) => expect(maxAbsDiff(g, ref[i])).toBeLessThan(1e-4));
    const out = tf.tidy(() => maxAbsDiff(dense(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D).dataSync(), tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b).dataSync()));
    expect(out).toBeLessThan(1e-5);
  });

  it("dense without bias, and the frozen variant's input gradient", () => {
    const x = rand([4, 6], 4), w = rand([6, 5], 5);
    const ours = grads((a, c) => dense(a as tf.Tensor2D, c as tf.Tensor2D), [x, w]);
    const ref = grads((a, c) => tf.matMul(a as tf.Tensor2D, c as tf.Tensor2D), [x, w]);
    ours.forEach((g, i) => expect(maxAbsDiff(g, ref[i])).toBeLessThan(1e-4));
    const wT = tf.transpose(w) as tf.Tensor2D;
    const frozen = grads((a) => denseFrozen(a as tf.Tensor2D, w as tf.Tensor2D, null, wT), [x]);
    expect(maxAbsDiff(frozen[0], ref[0])).toBeLessThan(1e-4);
  });

  it.each([false, true])("causal multi-head attention (WASM kernel: %s) matches tf ops in value and gradient", (wasm) => {
    const before = setKernelRoutes({ wasmAttention: wasm });
    const [b, t, heads, hd] = [2, 5, 3, 4];
    const [q, k, v] = [rand([b * t, heads * hd], 6), rand([b * t, heads * hd], 7), rand([b * t, heads * hd], 8)];
    const split = (x: tf.Tensor) => tf.reshape(tf.transpose(tf.reshape(x, [b, t, heads, hd]), [0, 2, 1, 3]), [b * heads, t, hd]) as tf.Tensor3D;
    const merge = (x: tf.Tensor) => tf.reshape(tf.transpose(tf.reshape(x, [b, heads, t, hd]), [0, 2, 1, 3]), [b * t, heads * hd]);
    const ref = (a: tf.Tensor, c: tf.Tensor, e: tf.Tensor) =>
      merge(tf.matMul(tf.softmax(tf.add(tf.mul(tf.matMul(split(a), split(c), false, true), 1 / Math.sqrt(hd)), causalMask(t))), split(e)));
    const ours = (a: tf.Tensor, c: tf.Tensor, e: tf.Tensor) => causalAttention(a as tf.Tensor2D, c as tf.Tensor2D, e as tf.Tensor2D, b, t, heads);
    expect(tf.tidy(() => maxAbsDiff(ours(q, k, v).dataSync(), ref(q, k, v).dataSync()))).toBeLessThan(1e-5);
    const got = grads(ours, [q, k, v]);
    const want = grads(ref, [q, k, v]);
    got.forEach((g, i) => expect(maxAbsDiff(g, want[i])).toBeLessThan(1e-4));
    setKernelRoutes(before);
  });

  it("layer norm", () => {
    const x = rand([4, 8], 9), g = rand([8], 10), b = rand([8], 11);
    const ref = (a: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, -1, true);
      return tf.add(tf.mul(tf.div(tf.sub(a, mean), tf.sqrt(tf.add(variance, 1e-5))), gg), bb);
    };
    const ours = grads((a, gg, bb) => layerNorm(a as tf.Tensor2D, gg as tf.Tensor1D, bb as tf.Tensor1D), [x, g, b]);
    const want = grads(ref, [x, g, b]);
    ours.forEach((gr, i) => expect(maxAbsDiff(gr, want[i])).toBeLessThan(1e-4));
  });

  it("gelu (tanh approximation)", () => {
    const x = rand([50], 12);
    const ref = (a: tf.Tensor) => tf.mul(tf.mul(a, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(a, tf.mul(0.044715, tf.pow(a, 3)))))));
    expect(maxAbsDiff(grads((a) => gelu(a), [x])[0], grads(ref, [x])[0])).toBeLessThan(1e-5);
  });

  it("embedding (JS scatter-add gradient)", () => {
    const table = rand([10, 3], 13);
    const ids = Int32Array.from([1, 4, 4, 9, 0, 1]);
    const ours = grads((t) => embed(t as tf.Tensor2D, ids), [table]);
    const ref = grads((t) => tf.matMul(tf.oneHot(tf.tensor1d(ids, "int32"), 10), t as tf.Tensor2D), [table]);
    expect(maxAbsDiff(ours[0], ref[0])).toBeLessThan(1e-5);
  });

  it("masked cross-entropy: value and gradient", () => {
    const z = rand([4, 6], 14);
    const y = Int32Array.from([1, 5, 0, 2]);
    const w = Float32Array.from([1, 0, 1, 1]);
    const ref = (a: tf.Tensor) =>
      tf.div(tf.sum(tf.mul(tf.neg(tf.sum(tf.mul(tf.logSoftmax(a), tf.oneHot(tf.tensor1d(y, "int32"), 6)), -1)), tf.tensor1d(w))), 3);
    expect(Math.abs(maskedCrossEntropy(z as tf.Tensor2D, y, w).dataSync()[0] - ref(z).dataSync()[0])).toBeLessThan(1e-5);
    const ours = tf.tidy(() => tf.grad((a: tf.Tensor) => maskedCrossEntropy(a as tf.Tensor2D, y, w))(z).dataSync());
    const want = tf.tidy(() => tf.grad((a: tf.Tensor) => ref(a))(z).dataSync());
    expect(maxAbsDiff(ours, want)).toBeLessThan(1e-5);
  });
});
