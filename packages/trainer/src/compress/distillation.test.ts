import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { createModel, disposeModel } from "../models/create-model";
import { distillationLoss } from "./distillation-loss";
import { runDistillation } from "./run-distillation";
import { fineTunedClassifier } from "../../test/compress-fixtures";

const softmax = (z: number[]) => {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe("distillation loss", () => {
  it("equals α·T²·KL(teacher_T ‖ student_T) + (1 − α)·CE on a fixed example", async () => {
    await initBackend();
    const student = [[1, 2, 0.5], [0.2, -1, 3], [2, 2, 2]];
    const teacher = [[2, 1, 0], [0, 0, 4], [5, -1, 0]];
    const targets = [1, 2, 0];
    const weights = [1, 1, 0]; // the third row does not count
    const T = 2;
    const alpha = 0.7;
    let kl = 0;
    let ce = 0;
    for (let i = 0; i < 2; i++) {
      const pt = softmax(teacher[i].map((v) => v / T));
      const ps = softmax(student[i].map((v) => v / T));
      kl += pt.reduce((s, p, j) => s + p * (Math.log(p) - Math.log(ps[j])), 0);
      ce += -Math.log(softmax(student[i])[targets[i]]);
    }
    const expected = alpha * T * T * (kl / 2) + (1 - alpha) * (ce / 2);
    const got = distillationLoss(tf.tensor2d(student), tf.tensor2d(teacher), Int32Array.from(targets), Float32Array.from(weights), { temperature: T, alpha });
    expect(got.dataSync()[0]).toBeCloseTo(expected, 5);
    // α = 0 is plain cross-entropy; identical logits give KL = 0.
    const same = distillationLoss(tf.tensor2d(teacher), tf.tensor2d(teacher), Int32Array.from(targets), Float32Array.from(weights), { temperature: 3, alpha: 1 });
    expect(same.dataSync()[0]).toBeCloseTo(0, 6);
    expect(() => distillationLoss(tf.tensor2d(student), tf.tensor2d(teacher), Int32Array.from(targets), Float32Array.from(weights), { temperature: 0, alpha })).toThrow(/temperature/);
  });

  it("a fine-tuned teacher trains a smaller student, compared with labels alone", async () => {
    const fx = await fineTunedClassifier([48, 48]);
    const student = createModel("tiny-mlp-s", { family: "mlp", inputDim: 8, hidden: [8], numClasses: 3 }, 9);
    const r = await runDistillation(fx.model, student, { temperature: 2, alpha: 0.5, train: fx.train, validation: fx.validation, hyper: { max_steps: 60, learning_rate: 0.01, per_device_train_batch_size: 32, eval_steps: 20, seed: 2 }, teacherRef: { run_id: "teacher-run" } });
    expect(r.bytes).toBeLessThan(r.bytesBefore / 4);
    expect(r.after.loss).toBeLessThan(r.summary!.student_base_val_loss as number);
    expect(r.summary!.teacher_run_id).toBe("teacher-run");
    expect(Number.isFinite(r.summary!.labels_only_val_loss as number)).toBe(true);
    expect(r.history.length).toBe(3);
    const wrong = createModel("w", { family: "mlp", inputDim: 8, hidden: [8], numClasses: 4 }, 1);
    await expect(runDistillation(fx.model, wrong, { temperature: 2, alpha: 0.5, train: fx.train, validation: fx.validation, hyper: {} })).rejects.toThrow(/numClasses/);
    for (const m of [r.model, student, wrong, fx.model]) disposeModel(m);
  }, 60_000);
});
