import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend";
import { createModel, disposeModel, transformerConfig } from "../models/create-model";
import { computeMasks, magnitudeMask, maskSparsity } from "./prune-masks";
import { cubicSparsity, isPruningStep, type PruningSchedule } from "./sparsity-schedule";
import { applyMasks, runPruning } from "./run-pruning";
import { fineTunedClassifier, type Fixture } from "../../test/compress-fixtures";

const zeros = (m: Uint8Array) => m.reduce((s, v) => s + (v === 0 ? 1 : 0), 0);

describe("cubic sparsity schedule (Zhu & Gupta)", () => {
  const s: PruningSchedule = { initial_sparsity: 0.1, final_sparsity: 0.9, begin_step: 10, end_step: 50, frequency: 10 };
  it("follows s_f + (s_i - s_f)(1 - (t - t0)/(t_end - t0))^3", () => {
    expect(cubicSparsity(0, s)).toBeCloseTo(0.1, 12);
    expect(cubicSparsity(10, s)).toBeCloseTo(0.1, 12);
    expect(cubicSparsity(20, s)).toBeCloseTo(0.9 - 0.8 * 0.75 ** 3, 12); // 0.5625
    expect(cubicSparsity(30, s)).toBeCloseTo(0.8, 12); // 0.9 - 0.8 * 0.125
    expect(cubicSparsity(40, s)).toBeCloseTo(0.9 - 0.8 / 64, 12);
    expect(cubicSparsity(50, s)).toBeCloseTo(0.9, 12);
    expect(cubicSparsity(500, s)).toBeCloseTo(0.9, 12);
  });
  it("prunes at begin_step, every `frequency` steps, and at end_step", () => {
    const steps = Array.from({ length: 70 }, (_, i) => i).filter((t) => isPruningStep(t, { ...s, end_step: 45 }));
    expect(steps).toEqual([10, 20, 30, 40, 45]);
  });
});

describe("pruning masks", () => {
  it("magnitude pruning removes exactly round(s·n) of the smallest weights", () => {
    const w = Float32Array.from([0.5, -0.1, 0.05, -2, 0.3, 0.0, 1, -0.7, 0.2, 0.05]);
    const m = magnitudeMask(w, 0.4);
    expect(Array.from(m)).toEqual([1, 0, 0, 1, 1, 0, 1, 1, 1, 0]); // 0, 0.05, 0.05 (tie by index), 0.1
    expect(zeros(magnitudeMask(w, 0.25))).toBe(3); // round(2.5) = 3
  });

  it("reaches the exact sparsity asked in every layer (unstructured, neurons, heads)", async () => {
    await initBackend();
    const lm = createModel("p", transformerConfig({ vocabSize: 40, contextLength: 8, layers: 2, width: 16, heads: 4 }), 5);
    const un = computeMasks(lm, "unstructured", 0.7);
    for (const [name, m] of un) expect(zeros(m), name).toBe(Math.round(0.7 * m.length));
    const heads = computeMasks(lm, "heads", 0.5);
    // 2 of 4 heads per block: q/k/v lose 2·4 columns each, o loses 2·4 rows.
    expect(zeros(heads.get("blocks.0.attn.q.weight")!)).toBe(16 * 8);
    expect(zeros(heads.get("blocks.1.attn.o.weight")!)).toBe(8 * 16);
    expect(zeros(heads.get("blocks.0.attn.v.bias")!)).toBe(8);
    const neurons = computeMasks(lm, "neurons", 0.25);
    expect(zeros(neurons.get("blocks.0.ffn.up.bias")!)).toBe(16); // 64 units · 0.25
    expect(zeros(neurons.get("blocks.0.ffn.down.weight")!)).toBe(16 * 16);
    applyMasks(lm, un);
    for (const [name, m] of un) {
      const v = lm.weights.get(name)!.dataSync();
      expect(Array.from(v).filter((x) => x === 0).length, name).toBeGreaterThanOrEqual(zeros(m));
    }
    const mlp = createModel("m", { family: "mlp", inputDim: 6, hidden: [10, 10], numClasses: 3 }, 1);
    const n = computeMasks(mlp, "neurons", 0.3);
    expect(zeros(n.get("mlp.1.bias")!)).toBe(3);
    expect(zeros(n.get("head.weight")!)).toBe(3 * 3); // rows of the 3 removed units of mlp.1
    expect(() => computeMasks(mlp, "heads", 0.5)).toThrow(/heads.*transformer/);
    expect(() => computeMasks(mlp, "unstructured", 1)).toThrow(/sparsity/);
    disposeModel(lm);
    disposeModel(mlp);
  });
});

describe("pruning a fine-tuned model with recovery", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await fineTunedClassifier();
  }, 60_000);

  it("one-shot unstructured: exact sparsity, recovery improves on the pruned model, bytes shrink", async () => {
    const r = await runPruning(fx.model, { granularity: "unstructured", mode: "one_shot", sparsity: 0.8, recovery_steps: 40, train: fx.train, validation: fx.validation, hyper: { learning_rate: 0.005, per_device_train_batch_size: 32, seed: 1 } });
    for (const [name, m] of r.masks!) {
      expect(zeros(m), name).toBe(Math.round(0.8 * m.length));
      const v = r.model.weights.get(name)!.dataSync();
      m.forEach((keep, i) => keep === 0 && expect(Math.abs(v[i])).toBe(0));
    }
    expect(r.summary!.sparsity).toBeCloseTo(0.8, 2);
    expect(r.after.loss).toBeLessThan(r.summary!.val_loss_pruned_before_recovery as number);
    expect(r.bytes).toBeLessThan(r.bytesBefore * 0.5);
    expect(r.history[0].values.sparsity).toBeCloseTo(0.8, 2);
    disposeModel(r.model);
  }, 60_000);

  it("gradual neurons: sparsity rises on the cubic schedule and ends at the target", async () => {
    const schedule = { initial_sparsity: 0, final_sparsity: 0.5, begin_step: 0, end_step: 40, frequency: 10 };
    const r = await runPruning(fx.model, { granularity: "neurons", mode: "gradual", schedule, recovery_steps: 20, train: fx.train, validation: fx.validation, hyper: { learning_rate: 0.005, per_device_train_batch_size: 32, seed: 1 } });
    const targets = r.history.map((p) => [p.step, p.values.target_sparsity]);
    expect(targets).toContainEqual([20, cubicSparsity(20, schedule)]);
    expect(targets).toContainEqual([40, 0.5]);
    const sparsities = r.history.map((p) => p.values.sparsity);
    for (let i = 1; i < sparsities.length; i++) expect(sparsities[i]).toBeGreaterThanOrEqual(sparsities[i - 1]);
    expect(zeros(r.masks!.get("mlp.0.bias")!)).toBe(16);
    // 16 of 32 units in each hidden layer: mlp.0 loses 8·16 + 16, mlp.1 loses 16·32 + 16·16 + 16 (its rows
    // and columns overlap), the head loses 16·3 rows.
    expect(r.summary!.compact_bytes).toBe(r.bytesBefore - (8 * 16 + 16 + (16 * 32 + 16 * 16 + 16) + 16 * 3) * 4);
    expect(maskSparsity(r.masks!)).toBeGreaterThan(0.4);
    expect(Number.isFinite(r.after.loss)).toBe(true);
    disposeModel(r.model);
  }, 60_000);
});
