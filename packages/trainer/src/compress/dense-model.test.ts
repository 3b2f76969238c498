import { describe, expect, it } from "vitest";
import { createModel, disposeModel } from "../models/create-model";
import { fineTuneModel } from "../train/fine-tune";
import { evaluateModel } from "../train/evaluate-model";
import type { MethodConfig } from "../types";
import { denseBytes, toDenseModel } from "./dense-model";
import { classifierData } from "../../test/compress-fixtures";

describe("dense copy of a fine-tuned model (what compression starts from)", () => {
  const train = classifierData(128, 1);
  const validation = classifierData(64, 2);
  const methods: MethodConfig[] = [
    { finetuning_type: "lora", lora_rank: 4, lora_target: "all" },
    { finetuning_type: "qlora", lora_rank: 4, lora_target: "all", double_quantization: true },
    { finetuning_type: "adapter", adapter_size: 4 },
    { finetuning_type: "freeze", freeze_trainable_layers: 1 },
  ];
  for (const method of methods) {
    it(`${method.finetuning_type}: same predictions, every base weight fp32, the original untouched`, async () => {
      const base = createModel("mlp", { family: "mlp", inputDim: 8, hidden: [16, 16], numClasses: 3 }, 3);
      const ft = await fineTuneModel({ baseModel: base, method, train, validation, hyper: { max_steps: 15, learning_rate: 0.05, seed: 1 } });
      const original = evaluateModel(ft.model, validation);
      const dense = toDenseModel(ft.model);
      const copy = evaluateModel(dense, validation);
      expect(copy.loss).toBeCloseTo(original.loss, 5);
      expect(copy.accuracy).toBe(original.accuracy);
      expect([...dense.weights.keys()].sort()).toEqual([...base.weights.keys()].sort());
      expect([...dense.extra.keys()].some((k) => k.includes("lora"))).toBe(false);
      expect(dense.method === null).toBe(method.finetuning_type !== "adapter");
      expect(denseBytes(dense)).toBe((8 * 16 + 16 + 16 * 16 + 16 + 16 * 3 + 3 + (method.finetuning_type === "adapter" ? 2 * (16 * 4 + 4 + 4 * 16 + 16) : 0)) * 4);
      // The fine-tuned model still evaluates exactly as before (nothing was merged into it).
      expect(evaluateModel(ft.model, validation).loss).toBe(original.loss);
      for (const m of [base, ft.model, dense]) disposeModel(m);
    });
  }
});
