import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend";
import { fineTuneModel } from "./fine-tune";
import { evaluateModel } from "./evaluate-model";
import { resolveHyper } from "./resolve-hyper";
import { arithmeticExamples, tinyTransformer } from "../../test/test-models";
import * as tf from "@tensorflow/tfjs-core";
import { createModel, disposeModel } from "../models/create-model";
import { encodeText } from "../tokenizer/byte-tokenizer";
import type { ClassifierExample, LmExample } from "../types";

beforeAll(async () => {
  await initBackend();
});

/** Same inputs, opposite answers: learning the train set makes the validation set worse every epoch. */
function conflicting(): { train: LmExample[]; validation: LmExample[] } {
  const mk = (s: string): LmExample => {
    const ids = encodeText(s);
    return { input: ids.slice(0, -1), target: ids.slice(1), lossMask: ids.slice(1).map((_, j) => (j >= 2 ? 1 : 0)) };
  };
  const train = ["ab=x", "cd=y", "ef=z", "gh=w"].map(mk);
  const validation = ["ab=q", "cd=r", "ef=s", "gh=t"].map(mk);
  return { train, validation };
}

describe("training loop", () => {
  it("early stopping stops at the right epoch and restores the best weights", async () => {
    const { train, validation } = conflicting();
    const res = await fineTuneModel({
      baseModel: tinyTransformer(21),
      method: { finetuning_type: "full" },
      train,
      validation,
      hyper: { learning_rate: 1e-2, num_train_epochs: 20, per_device_train_batch_size: 4, early_stopping_patience: 2, lr_scheduler_type: "constant", seed: 5 },
    });
    const losses = res.history.map((h) => h["val/loss"]);
    // Validation loss rises after every epoch, so epoch 1 is best and epochs 2 and 3 exhaust patience 2.
    expect(losses[1]).toBeGreaterThan(losses[0]);
    expect(losses[2]).toBeGreaterThan(losses[0]);
    expect(res.stopReason).toBe("early_stopping");
    expect(res.history).toHaveLength(3);
    expect(res.steps).toBe(3);
    expect(res.bestStep).toBe(1);
    expect(res.bestValLoss).toBe(losses[0]);
    // The returned model carries the epoch-1 weights.
    expect(evaluateModel(res.model, validation).loss).toBeCloseTo(losses[0], 5);
  });

  it("learns a masked instruction task: val loss falls, accuracy rises, metrics are complete", async () => {
    const seen: number[] = [];
    const res = await fineTuneModel({
      baseModel: tinyTransformer(22),
      method: { finetuning_type: "full" },
      train: arithmeticExamples(40),
      validation: arithmeticExamples(10, 100),
      hyper: { learning_rate: 5e-3, num_train_epochs: 6, per_device_train_batch_size: 8, eval_steps: 5, warmup_ratio: 0.1, seed: 1 },
      onStep: (m) => seen.push(m.step),
    });
    const first = res.history[0];
    const last = res.history.at(-1)!;
    expect(res.stopReason).toBe("completed");
    expect(res.steps).toBe(30);
    expect(seen).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(res.history.map((h) => h.step)).toEqual([5, 10, 15, 20, 25, 30]);
    expect(last["val/loss"]).toBeLessThan(first["val/loss"] * 0.8);
    expect(last["val/perplexity"]).toBeCloseTo(Math.exp(last["val/loss"]), 4);
    expect(last["val/accuracy"]).toBeGreaterThan(first["val/accuracy"]);
    for (const k of ["train/loss", "lr", "grad_norm", "tokens_per_sec", "epoch"] as const) expect(Number.isFinite(last[k]), k).toBe(true);
    expect(res.trainableParams).toBe(res.totalParams);
    expect(res.modelBytes).toBe(res.totalParams * 4);
  });

  it("is deterministic for a seed (dropout included)", async () => {
    const go = () =>
      fineTuneModel({ baseModel: tinyTransformer(23), method: { finetuning_type: "lora", lora_dropout: 0.1 }, train: arithmeticExamples(16), validation: arithmeticExamples(4, 9), hyper: { num_train_epochs: 1, dropout: 0.1, per_device_train_batch_size: 4, seed: 9 } });
    const [a, b] = [await go(), await go()];
    expect(a.history.map((h) => h["val/loss"])).toEqual(b.history.map((h) => h["val/loss"]));
  });

  it("trains the MLP family and stops on abort", async () => {
    const data: ClassifierExample[] = Array.from({ length: 64 }, (_, i) => {
      const x = [Math.sin(i), Math.cos(i * 1.7), (i % 7) / 7, ((i * 13) % 5) / 5];
      return { features: x, label: x[0] + x[1] > 0 ? 1 : 0 };
    });
    const res = await fineTuneModel({
      baseModel: createModel("mlp", { family: "mlp", inputDim: 4, hidden: [32], numClasses: 2 }, 1),
      method: { finetuning_type: "full" },
      train: data.slice(0, 48),
      validation: data.slice(48),
      hyper: { learning_rate: 2e-2, num_train_epochs: 30, per_device_train_batch_size: 16, lr_scheduler_type: "constant", weight_decay: 0.01, l2: 1e-4 },
    });
    expect(res.history.at(-1)!["val/accuracy"]).toBeGreaterThanOrEqual(0.75);
    const ac = new AbortController();
    ac.abort();
    const stopped = await fineTuneModel({ baseModel: createModel("mlp", { family: "mlp", inputDim: 4, hidden: [8], numClasses: 2 }), method: { finetuning_type: "full" }, train: data, validation: data, hyper: {}, signal: ac.signal });
    expect(stopped.stopReason).toBe("aborted");
    expect(stopped.steps).toBe(0);
  });

  it("does not leak tensors: everything but the returned model is freed", async () => {
    const base = tinyTransformer(24);
    for (const method of [{ finetuning_type: "full" as const }, { finetuning_type: "qlora" as const }]) {
      const before = tf.memory().numTensors;
      const res = await fineTuneModel({ baseModel: base, method, train: arithmeticExamples(16), validation: arithmeticExamples(4, 3), hyper: { max_steps: 6, eval_steps: 2, per_device_train_batch_size: 4 } });
      disposeModel(res.model);
      expect(tf.memory().numTensors, method.finetuning_type).toBe(before);
    }
  });

  it("rejects bad hyperparameters and malformed examples with the field name", async () => {
    expect(() => resolveHyper({ learning_rate: -1 })).toThrow(/learning_rate/);
    expect(() => resolveHyper({ optim: "lion" as never })).toThrow(/optim/);
    expect(() => resolveHyper({ lr_scheduler_type: "step" as never })).toThrow(/lr_scheduler_type/);
    const bad = [{ input: [1, 2, 3], target: [2, 3] }];
    await expect(fineTuneModel({ baseModel: tinyTransformer(), method: { finetuning_type: "full" }, train: bad, validation: [], hyper: {} })).rejects.toThrow(/train\[0\]: target has 2 tokens, expected 3/);
    const oob = [{ input: [1, 999], target: [2, 3] }];
    await expect(fineTuneModel({ baseModel: tinyTransformer(), method: { finetuning_type: "full" }, train: oob, validation: [], hyper: {} })).rejects.toThrow(/input\[1\] = 999/);
  });
});
