import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { createOptimizer, type OptimizerSettings } from "./create-optimizer";
import { learningRateAt } from "./learning-rate-at";
import { clipGrads } from "./clip-grads";
import { setKernelRoutes } from "../layers/kernel-routes";

beforeAll(async () => {
  await initBackend();
});

const settings = (o: Partial<OptimizerSettings>): OptimizerSettings => ({
  optim: "adamw", momentum: 0.9, adam_beta1: 0.9, adam_beta2: 0.999, adam_epsilon: 1e-8, weight_decay: 0, ...o,
});

function run(s: OptimizerSettings, p0: number[][], gs: number[][][], lr: number): Float32Array {
  const v = tf.variable(tf.tensor2d(p0));
  const opt = createOptimizer(s);
  for (const g of gs) {
    const gt = tf.tensor2d(g);
    opt.step([{ name: "w", variable: v }], { [v.name]: gt }, lr);
    gt.dispose();
  }
  const out = v.dataSync() as Float32Array;
  opt.dispose();
  v.dispose();
  return out;
}

// Both implementations of the update: the JS loop (f64 arithmetic, 6 digits) and the wasmAdamW route
// (one SIMD pass in f32 on tfjs-wasm's memory, ~1 ulp per operation: 5 digits).
describe.each([
  { route: "js", wasmAdamW: false, digits: 6 },
  { route: "wasm", wasmAdamW: true, digits: 5 },
])("optimizers ($route update)", ({ wasmAdamW, digits }) => {
  let before: ReturnType<typeof setKernelRoutes>;
  beforeEach(() => {
    before = setKernelRoutes({ wasmAdamW });
  });
  afterEach(() => {
    setKernelRoutes(before);
  });

  it("one AdamW step equals a hand computation (decoupled decay)", () => {
    const p = [[0.5, -1.0], [2.0, 0.0]];
    const g = [[0.1, -0.2], [0.3, 0.0]];
    const lr = 0.01;
    const wd = 0.1;
    const got = run(settings({ weight_decay: wd }), p, [g], lr);
    // t = 1: m̂ = g, v̂ = g², so the Adam term is lr·g/(|g| + ε) = lr·sign(g) (0 where g = 0).
    const want = p.flat().map((w, i) => {
      const gi = g.flat()[i];
      return w * (1 - lr * wd) - (lr * gi) / (Math.abs(gi) + 1e-8);
    });
    want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, digits));
  });

  it("two AdamW steps follow the bias-corrected moments", () => {
    const [b1, b2, eps, lr, wd] = [0.9, 0.999, 1e-8, 0.1, 0.05];
    const p0 = 1.5;
    const g1 = 0.4;
    const g2 = -0.1;
    let p = p0 * (1 - lr * wd) - (lr * g1) / (Math.abs(g1) + eps);
    const m = b1 * (1 - b1) * g1 + (1 - b1) * g2;
    const v = b2 * (1 - b2) * g1 * g1 + (1 - b2) * g2 * g2;
    p = p * (1 - lr * wd) - (lr * (m / (1 - b1 ** 2))) / (Math.sqrt(v / (1 - b2 ** 2)) + eps);
    const got = run(settings({ weight_decay: wd }), [[p0]], [[[g1]], [[g2]]], lr);
    expect(got[0]).toBeCloseTo(p, digits);
  });

  it("adam couples weight decay into the gradient; sgd uses momentum buffers like torch", () => {
    const adam = run(settings({ optim: "adam", weight_decay: 0.5 }), [[2]], [[[0.2]]], 0.1);
    // g' = 0.2 + 0.5·2 = 1.2 -> step lr·sign = 0.1
    expect(adam[0]).toBeCloseTo(1.9, digits);
    const sgd = run(settings({ optim: "sgd", momentum: 0.9 }), [[1]], [[[0.5]], [[0.5]]], 0.1);
    // b1 = 0.5, p = 0.95; b2 = 0.9·0.5 + 0.5 = 0.95, p = 0.95 - 0.095
    expect(sgd[0]).toBeCloseTo(0.855, 6);
    const plain = run(settings({ optim: "sgd", momentum: 0 }), [[1]], [[[0.5]], [[0.5]]], 0.1);
    expect(plain[0]).toBeCloseTo(0.9, 6);
  });

  it("weight decay skips vectors (biases, norms, gates)", () => {
    const v = tf.variable(tf.tensor1d([1, 1]));
    const opt = createOptimizer(settings({ weight_decay: 0.5 }));
    opt.step([{ name: "b", variable: v }], { [v.name]: tf.zeros([2]) }, 0.1);
    expect(Array.from(v.dataSync())).toEqual([1, 1]);
  });
});

describe("schedules and clipping", () => {
  it("warmup then constant / linear / cosine", () => {
    expect(learningRateAt(0, 100, 1, "linear", 0.1)).toBeCloseTo(0.1);
    expect(learningRateAt(9, 100, 1, "linear", 0.1)).toBeCloseTo(1);
    expect(learningRateAt(55, 100, 1, "linear", 0.1)).toBeCloseTo(0.5);
    expect(learningRateAt(55, 100, 1, "cosine", 0.1)).toBeCloseTo(0.5);
    expect(learningRateAt(32.5, 100, 1, "cosine", 0.1)).toBeCloseTo(0.5 * (1 + Math.cos(Math.PI * 0.25)));
    expect(learningRateAt(99, 100, 1, "constant", 0.1)).toBe(1);
    expect(learningRateAt(100, 100, 1, "linear", 0)).toBe(0);
  });

  it("clips by global norm", () => {
    const g = [Float32Array.from([3, 0]), Float32Array.from([0, 4])];
    expect(clipGrads(g, 1)).toEqual({ norm: 5, scale: 1 / (5 + 1e-6) });
    expect(clipGrads(g, 10).scale).toBe(1);
    expect(clipGrads(g, 0).scale).toBe(1);
    // The optimizer applies the scale: sgd without momentum moves by lr·scale·g.
    const v = tf.variable(tf.tensor1d([0, 0]));
    createOptimizer(settings({ optim: "sgd", momentum: 0 })).step([{ name: "v", variable: v }], { [v.name]: Float32Array.from([3, 4]) }, 1, 0.2);
    expect(Array.from(v.dataSync()).map((x) => +x.toFixed(5))).toEqual([-0.6, -0.8]);
  });
});
