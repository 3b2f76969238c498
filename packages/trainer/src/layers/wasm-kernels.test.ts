// Each WASM kernel against the tf-ops layer it replaces, value and gradients, on random inputs
// whose sizes hit the kernels' SIMD tails (lengths not a multiple of 4, a sequence of 7 tokens).
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { createRng, normalArray } from "../models/rng";
import { KERNEL_ROUTE_NAMES, setKernelRoutes, type KernelRoutes } from "./kernel-routes";
import { gelu } from "./gelu";
import { addLayerNorm, layerNorm } from "./layer-norm";
import { maskedCrossEntropy } from "./cross-entropy";
import { causalAttention } from "./attention-core";
import { dense } from "./dense";
import { embed } from "./embedding";
import { wasmKernelsReady } from "./wasm-kernels";

beforeAll(async () => {
  expect(await initBackend("wasm")).toBe("wasm");
  expect(wasmKernelsReady()).toBe(true);
});

const allOff = Object.fromEntries(KERNEL_ROUTE_NAMES.map((n) => [n, false])) as unknown as KernelRoutes;
afterEach(() => setKernelRoutes(allOff));

let seed = 1;
const randn = (shape: number[], std = 1) => tf.tensor(normalArray(createRng(seed++), shape.reduce((a, b) => a * b, 1), std), shape);

/** Value and gradients (of Σ value·r for a fixed random r) of `f` at `xs`, with `route` off and on. */
function both(route: keyof KernelRoutes, xs: tf.Tensor[], f: (...xs: tf.Tensor[]) => tf.Tensor): { off: Float32Array[]; on: Float32Array[] } {
  const r = tf.tidy(() => randn(f(...xs).shape));
  const run = (on: boolean) => {
    setKernelRoutes({ ...allOff, [route]: on });
    return tf.tidy(() => {
      const value = f(...xs);
      const grads = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), r)))(xs);
      return [value, ...grads].map((t) => t.dataSync() as Float32Array);
    });
  };
  const out = { off: run(false), on: run(true) };
  r.dispose();
  return out;
}

function expectClose(got: Float32Array[], want: Float32Array[], tol: number) {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    expect(g.length).toBe(want[i].length);
    let worst = 0;
    g.forEach((x, j) => (worst = Math.max(worst, Math.abs(x - want[i][j]) / Math.max(1, Math.abs(want[i][j])))));
    expect(worst, `output ${i}`).toBeLessThan(tol);
  });
}

describe("WASM kernels match the tf-ops layers", () => {
  it("GELU within 1e-6 of tf's (its derivative within 1e-5) over a wide range (odd length)", () => {
    const x = tf.mul(randn([1023]), 4);
    const { off, on } = both("wasmGelu", [x], (a) => gelu(a));
    expectClose(on.slice(0, 1), off.slice(0, 1), 1e-6);
    // f32 rounding of 1 - tanh² near saturation, times the chain's factors up to ~10 at |x| ≈ 4
    expectClose(on.slice(1), off.slice(1), 1e-5);
    // the inputs reach the saturated tails, where tanh is ±1
    expect(Math.max(...(x.dataSync() as Float32Array))).toBeGreaterThan(9);
  });

  it("LayerNorm, alone and after a residual add", () => {
    const [x, a, g, b] = [randn([37, 24]), randn([37, 24]), randn([24]), randn([24])];
    const ln = both("wasmLayerNorm", [x, g, b], (x, g, b) => layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D));
    expectClose(ln.on, ln.off, 1e-5);
    // both outputs feed the loss, as in a block: the sum goes on down the residual stream
    const add = both("wasmLayerNorm", [x, a, g, b], (x, a, g, b) => {
      const [s, y] = addLayerNorm(x as tf.Tensor2D, a as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D);
      return tf.concat([s, y], 1);
    });
    expectClose(add.on, add.off, 1e-5);
  });

  it("softmax cross-entropy with a vocabulary not a multiple of 4, zero weights and a target outside it", () => {
    const z = tf.mul(randn([9, 259]), 3);
    const targets = Int32Array.from([0, 258, 7, 300, -1, 5, 5, 100, 2]);
    const weights = Float32Array.from([1, 1, 0, 1, 1, 0.5, 2, 1, 1]);
    const { off, on } = both("wasmCrossEntropy", [z], (z) => maskedCrossEntropy(z as tf.Tensor2D, targets, weights));
    expectClose(on, off, 1e-5);
    expect(off[0][0]).toBeGreaterThan(1); // a real loss, not zero
  });

  it.each([
    [2, 7, 3, 8],
    [1, 13, 2, 12],
    [2, 16, 2, 24],
  ])("causal attention: batch %i, %i tokens, %i heads of width %i", (b, t, heads, hd) => {
    const [q, k, v] = [0, 1, 2].map(() => randn([b * t, heads * hd]));
    const { off, on } = both("wasmAttention", [q, k, v], (q, k, v) => causalAttention(q as tf.Tensor2D, k as tf.Tensor2D, v as tf.Tensor2D, b, t, heads));
    expectClose(on, off, 1e-5);
  });

  it("dense with and without bias, output width not a multiple of 4", () => {
    const [x, w, bias] = [randn([11, 6]), randn([6, 5]), randn([5])];
    const withBias = both("wasmDense", [x, w, bias], (x, w, b) => dense(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D));
    expectClose(withBias.on, withBias.off, 1e-5);
    const plain = both("wasmDense", [x, w], (x, w) => dense(x as tf.Tensor2D, w as tf.Tensor2D));
    expectClose(plain.on, plain.off, 1e-5);
  });

  it("embedding: repeated ids sum their gradients; an id outside the table is refused", () => {
    const table = randn([10, 6]);
    const ids = Int32Array.from([3, 3, 0, 9, 3, 1]);
    const { off, on } = both("wasmEmbedding", [table], (t) => embed(t as tf.Tensor2D, ids));
    expectClose(on, off, 1e-6);
    setKernelRoutes({ ...allOff, wasmEmbedding: true });
    expect(() => embed(table as tf.Tensor2D, Int32Array.from([1, 10]))).toThrow("token id 10 at position 1 is outside the vocabulary [0, 10)");
  });

  it("leaves no tensor behind (outputs saved for backward are freed with the step)", () => {
    setKernelRoutes(Object.fromEntries(KERNEL_ROUTE_NAMES.map((n) => [n, true])) as unknown as KernelRoutes);
    const [x, a, g, b] = [randn([8, 16]), randn([8, 16]), randn([16]), randn([16])];
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const f = (x: tf.Tensor) => {
        const [s, y] = addLayerNorm(x as tf.Tensor2D, a as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D);
        const o = causalAttention(y, y, s, 2, 4, 2);
        return maskedCrossEntropy(gelu(o) as tf.Tensor2D, Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), new Float32Array(8).fill(1));
      };
      tf.grad(f)(x).dataSync();
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
