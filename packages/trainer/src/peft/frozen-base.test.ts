import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { applyMethod } from "./apply-method";
import { countParams } from "../models/create-model";
import { arithmeticExamples, logitsOf, maxAbsDiff, snapshotBase, tinyTransformer } from "../../test/test-models";
import { fineTuneModel } from "../train/fine-tune";
import type { FinetuningType, MethodConfig } from "../types";

beforeAll(async () => {
  await initBackend();
});

const ids = [49, 43, 50, 61, 51, 46, 10, 20, 30];
const hyper = { learning_rate: 2e-2, num_train_epochs: 2, per_device_train_batch_size: 8, seed: 3 };

describe("PEFT methods leave the base model untouched", () => {
  const cases: MethodConfig[] = [
    { finetuning_type: "lora", lora_rank: 4, lora_target: "all" },
    { finetuning_type: "qlora", lora_rank: 4, lora_target: "all", double_quantization: true },
    { finetuning_type: "adapter", adapter_size: 4 },
    { finetuning_type: "llama_adapter", adapter_len: 3, adapter_layers: 1 },
    { finetuning_type: "ia3" },
  ];
  for (const method of cases) {
    it(`${method.finetuning_type}: base weights bit-identical after training, output changed`, async () => {
      const base = tinyTransformer(11);
      const before = logitsOf(base, ids);
      const res = await fineTuneModel({ baseModel: base, method, train: arithmeticExamples(16), validation: arithmeticExamples(4, 40), hyper });
      const m = res.model;
      // The trained copy's base: every fp32 weight (and, for qlora, the quantized codes) as quantized at the start.
      const start = applyMethod(tinyTransformer(11), method, hyper.seed);
      const want = snapshotBase(start);
      const got = snapshotBase(m);
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [name, bytes] of want) expect(Buffer.compare(Buffer.from(got.get(name)!), Buffer.from(bytes)), name).toBe(0);
      // The caller's model was not mutated either.
      expect(maxAbsDiff(logitsOf(base, ids), before)).toBe(0);
      expect(maxAbsDiff(logitsOf(m, ids), logitsOf(start, ids))).toBeGreaterThan(1e-4);
      expect(res.trainableParams).toBeGreaterThan(0);
      expect(res.trainableParams).toBeLessThan(res.totalParams / 4);
    });
  }

  it("freeze: only the top freeze_trainable_layers blocks change", async () => {
    const base = tinyTransformer(12);
    const res = await fineTuneModel({ baseModel: base, method: { finetuning_type: "freeze", freeze_trainable_layers: 1 }, train: arithmeticExamples(16), validation: arithmeticExamples(4, 40), hyper });
    const want = snapshotBase(base);
    const got = snapshotBase(res.model);
    for (const [name, bytes] of want) {
      const same = Buffer.compare(Buffer.from(got.get(name)!), Buffer.from(bytes)) === 0;
      const isBias = name.endsWith(".bias") || name.endsWith(".beta");
      if (name.startsWith("blocks.1.") && !isBias) expect(same, name).toBe(false);
      if (!name.startsWith("blocks.1.")) expect(same, name).toBe(true);
    }
    const block = 2 * (32 + 32) /* ln1, ln2 */ + 4 * (32 * 32 + 32) + 32 * 128 + 128 + 128 * 32 + 32;
    expect(res.trainableParams).toBe(block);
  });
});

describe("adapter and llama_adapter", () => {
  it("LLaMA-Adapter with its zero gate equals the base model exactly", () => {
    const base = tinyTransformer(13);
    const before = logitsOf(base, ids);
    const m = applyMethod(base, { finetuning_type: "llama_adapter", adapter_len: 5, adapter_layers: 2 }, 1);
    expect(maxAbsDiff(logitsOf(m, ids), before)).toBe(0);
    // A non-zero gate makes the prompt matter.
    m.extra.get("blocks.1.adapter_gate")!.assign(tf.ones([4]));
    expect(maxAbsDiff(logitsOf(m, ids), before)).toBeGreaterThan(1e-4);
  });

  it("(IA)³ with its unit vectors equals the base model exactly", () => {
    const base = tinyTransformer(15);
    const before = logitsOf(base, ids);
    const m = applyMethod(base, { finetuning_type: "ia3" }, 1);
    expect(maxAbsDiff(logitsOf(m, ids), before)).toBe(0);
  });

  it("Houlsby adapters start near identity", () => {
    const base = tinyTransformer(14);
    const before = logitsOf(base, ids);
    const m = applyMethod(base, { finetuning_type: "adapter", adapter_size: 8 }, 1);
    const diff = maxAbsDiff(logitsOf(m, ids), before);
    expect(diff).toBeGreaterThan(0);
    expect(diff).toBeLessThan(1e-3);
  });

  it("trainable counts equal the formulas", () => {
    const d = 32;
    const heads = 4;
    const a = applyMethod(tinyTransformer(), { finetuning_type: "adapter", adapter_size: 8 });
    expect(countParams(a).trainable).toBe(2 * 2 * (2 * d * 8 + 8 + d)); // layers × 2 adapters × (2dm + m + d)
    const l = applyMethod(tinyTransformer(), { finetuning_type: "llama_adapter", adapter_len: 6, adapter_layers: 1 });
    expect(countParams(l).trainable).toBe(1 * (6 * d + heads)); // adapter_layers × (adapter_len·d + heads)
    const ia3 = applyMethod(tinyTransformer(), { finetuning_type: "ia3" });
    expect(countParams(ia3).trainable).toBe(2 * (d + d + 4 * d)); // layers × (l_k + l_v + l_ff)
    const full = applyMethod(tinyTransformer(), { finetuning_type: "full" });
    expect(countParams(full).trainable).toBe(countParams(full).total);
  });

  it("errors name the field", () => {
    expect(() => applyMethod(tinyTransformer(), { finetuning_type: "llama_adapter", adapter_layers: 9 })).toThrow(/adapter_layers/);
    expect(() => applyMethod(tinyTransformer(), { finetuning_type: "freeze", freeze_trainable_layers: 5 })).toThrow(/freeze_trainable_layers/);
    expect(() => applyMethod(tinyTransformer(), { finetuning_type: "qlora", quantization_bit: 3 as never })).toThrow(/quantization_bit/);
    const t: FinetuningType = "adapter";
    expect(() => applyMethod(tinyTransformer(), { finetuning_type: t, adapter_size: 0 })).toThrow(/adapter_size/);
  });
});
