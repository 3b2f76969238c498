import { beforeAll, describe, expect, it } from "vitest";
import { disposeModel } from "../models/create-model";
import { evaluateModel } from "../train/evaluate-model";
import { runPtq } from "./run-ptq";
import { runQat } from "./run-qat";
import { calibrateActivations } from "./calibrate-activations";
import { toDenseModel } from "./dense-model";
import { fineTunedClassifier, type Fixture } from "../../test/compress-fixtures";

let fx: Fixture;
beforeAll(async () => {
  fx = await fineTunedClassifier();
}, 60_000);

// Linear layers of the fixture: mlp.0 [8, 32], mlp.1 [32, 32], head [32, 3]; biases 32 + 32 + 3.
const LAYERS = [[8, 32], [32, 32], [32, 3]];
const BIAS_BYTES = (32 + 32 + 3) * 4;

describe("post-training quantization of a fine-tuned model", () => {
  it("int8 symmetric per channel: bytes as packed, val loss almost unchanged", () => {
    const r = runPtq(fx.model, { weights: { format: "affine", bits: 8, scheme: "symmetric", granularity: "channel" }, validation: fx.validation, sensitivity: true });
    expect(r.bytesBefore).toBe((LAYERS.reduce((s, [i, o]) => s + i * o, 0)) * 4 + BIAS_BYTES);
    expect(r.bytes).toBe(LAYERS.reduce((s, [i, o]) => s + i * o + o * 4, 0) + BIAS_BYTES);
    expect(Math.abs(r.after.loss - r.before.loss)).toBeLessThan(0.01);
    expect(r.layers.map((l) => l.layer)).toEqual(["mlp.0", "mlp.1", "head"]);
    for (const l of r.layers) {
      expect(l.relError).toBeGreaterThan(0);
      expect(l.relError).toBeLessThan(0.02);
      expect(Number.isFinite(l.valLossDelta)).toBe(true);
    }
    // The fine-tuned model itself is untouched.
    expect(evaluateModel(fx.model, fx.validation).loss).toBeCloseTo(r.before.loss, 6);
    disposeModel(r.model);
  });

  it("4 bits cost more than 8; per channel beats per tensor; NF4 stores codes + one absmax per 64", () => {
    const run = (weights: Parameters<typeof runPtq>[1]["weights"]) => {
      const r = runPtq(fx.model, { weights, validation: fx.validation });
      disposeModel(r.model);
      return r;
    };
    const int8 = run({ format: "affine", bits: 8, scheme: "asymmetric", granularity: "tensor" });
    const int4 = run({ format: "affine", bits: 4, scheme: "asymmetric", granularity: "tensor" });
    const int4c = run({ format: "affine", bits: 4, scheme: "symmetric", granularity: "channel" });
    const int4t = run({ format: "affine", bits: 4, scheme: "symmetric", granularity: "tensor" });
    const nf4 = run({ format: "nf4" });
    int8.layers.forEach((l, i) => expect(int4.layers[i].relError).toBeGreaterThan(l.relError * 4));
    const err = (r: typeof int8) => r.layers.reduce((s, l) => s + l.relError, 0);
    expect(err(int4c)).toBeLessThan(err(int4t));
    expect(int4.bytes).toBeLessThan(int8.bytes);
    expect(nf4.bytes).toBe(LAYERS.reduce((s, [i, o]) => s + Math.ceil((i * o) / 2) + Math.ceil((i * o) / 64) * 4, 0) + BIAS_BYTES);
    expect(nf4.after.loss - nf4.before.loss).toBeLessThan(0.2);
  });

  it("8-bit activations calibrated by min/max and by percentile", () => {
    const calibration = fx.train.slice(0, 128);
    const dense = toDenseModel(fx.model);
    const mm = calibrateActivations(dense, calibration, { bits: 8, scheme: "asymmetric", method: "minmax", percentile: 100 });
    const pc = calibrateActivations(dense, calibration, { bits: 8, scheme: "asymmetric", method: "percentile", percentile: 99 });
    expect([...mm.keys()]).toEqual(["mlp.0", "mlp.1", "head"]);
    for (const [layer, p] of mm) expect(pc.get(layer)!.scale, layer).toBeLessThan(p.scale);
    // ReLU outputs are >= 0: the widened range starts at 0, so the zero point is 0.
    expect(mm.get("mlp.1")!.zeroPoint).toBe(0);
    disposeModel(dense);
    for (const method of ["minmax", "percentile"] as const) {
      const r = runPtq(fx.model, { weights: { format: "affine", bits: 8, scheme: "symmetric", granularity: "channel" }, activations: { bits: 8, scheme: "asymmetric", method, percentile: 99.9 }, validation: fx.validation, calibration });
      expect(Math.abs(r.after.loss - r.before.loss), method).toBeLessThan(0.05);
      expect(r.label).toContain(`a8-${method}`);
      disposeModel(r.model);
    }
    expect(() => runPtq(fx.model, { weights: { format: "nf4" }, activations: { bits: 8, scheme: "asymmetric", method: "minmax", percentile: 100 }, validation: fx.validation })).toThrow(/calibration/);
  });
});

describe("quantization-aware training", () => {
  it("QAT at 4 bits ends at or below PTQ at 4 bits, and the exported model evaluates as trained", async () => {
    const r = await runQat(fx.model, {
      weights: { format: "affine", bits: 4, scheme: "symmetric", granularity: "tensor" },
      train: fx.train,
      validation: fx.validation,
      hyper: { max_steps: 60, eval_steps: 10, learning_rate: 0.003, per_device_train_batch_size: 32, seed: 5 },
    });
    expect(r.summary!.ptq_val_loss).toBeGreaterThan(r.after.loss);
    // Evaluations during training ran through fake quantization; the best one was restored and exported.
    const best = Math.min(...r.history.map((p) => p.values["val/loss"]));
    expect(r.after.loss).toBeCloseTo(best, 4);
    expect(r.bytes).toBeLessThan(r.bytesBefore / 5);
    await expect(runQat(fx.model, { weights: { format: "nf4" }, train: fx.train, validation: fx.validation, hyper: {} })).rejects.toThrow(/affine/);
    disposeModel(r.model);
  }, 60_000);
});
