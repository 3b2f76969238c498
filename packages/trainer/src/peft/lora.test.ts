import { beforeAll, describe, expect, it } from "vitest";
import { initBackend } from "../backend";
import { applyMethod, mergeLora, unmergeLora } from "./apply-method";
import { countParams, createModel } from "../models/create-model";
import { arithmeticExamples, logitsOf, maxAbsDiff, tinyTransformer } from "../../test/test-models";
import { fineTuneModel } from "../train/fine-tune";
import { loraScale } from "../models/lora-scale";

beforeAll(async () => {
  await initBackend();
});

const ids = [49, 43, 50, 61, 51, 46, 10, 20];

describe("lora", () => {
  it("equals the base model at step 0 (B = 0)", () => {
    const base = tinyTransformer(3);
    const before = logitsOf(base, ids);
    applyMethod(base, { finetuning_type: "lora", lora_rank: 4, lora_target: "all", lora_dropout: 0.1 }, 7);
    expect(maxAbsDiff(logitsOf(base, ids), before)).toBe(0);
  });

  it("initialises A Kaiming-uniform (|a| ≤ 1/sqrt(d_in), not all tiny) and B to zero", () => {
    const m = applyMethod(tinyTransformer(3), { finetuning_type: "lora", lora_rank: 4, lora_target: ["up", "down"] }, 7);
    const a = m.extra.get("blocks.0.ffn.down.lora_A")!.dataSync();
    const bound = 1 / Math.sqrt(128);
    expect(Math.max(...a.map(Math.abs))).toBeLessThanOrEqual(bound + 1e-7);
    expect(Math.max(...a.map(Math.abs))).toBeGreaterThan(bound * 0.9);
    expect(Math.max(...m.extra.get("blocks.0.ffn.down.lora_B")!.dataSync().map(Math.abs))).toBe(0);
  });

  it("trainable parameter count is r·(d_in + d_out) per targeted layer", () => {
    const r = 4;
    const d = 32;
    const f = 128;
    const layers = 2;
    const qv = applyMethod(tinyTransformer(), { finetuning_type: "lora", lora_rank: r, lora_target: ["q", "v"] });
    expect(countParams(qv).trainable).toBe(layers * 2 * r * (d + d));
    const all = applyMethod(tinyTransformer(), { finetuning_type: "lora", lora_rank: r, lora_target: "all" });
    expect(countParams(all).trainable).toBe(layers * (4 * r * (d + d) + r * (d + f) + r * (f + d)));
    const base = countParams(tinyTransformer()).total;
    expect(countParams(all).total).toBe(base + countParams(all).trainable);
    const mlp = applyMethod(createModel("m", { family: "mlp", inputDim: 10, hidden: [16, 8], numClasses: 3 }), { finetuning_type: "lora", lora_rank: 2, lora_target: "fc,head" });
    expect(countParams(mlp).trainable).toBe(2 * (10 + 16) + 2 * (16 + 8) + 2 * (8 + 3));
  });

  it("scales by alpha/r, or alpha/sqrt(r) with rsLoRA", () => {
    expect(loraScale({ finetuning_type: "lora", lora_rank: 16, lora_alpha: 32 })).toBe(2);
    expect(loraScale({ finetuning_type: "lora", lora_rank: 16, lora_alpha: 32, use_rslora: true })).toBe(8);
  });

  it("rejects unknown targets and bad ranks with the field name", () => {
    expect(() => applyMethod(tinyTransformer(), { finetuning_type: "lora", lora_target: ["query" as never] })).toThrow(/lora_target.*'query'/);
    expect(() => applyMethod(tinyTransformer(), { finetuning_type: "lora", lora_rank: 0 })).toThrow(/lora_rank/);
    expect(() => applyMethod(tinyTransformer(), { finetuning_type: "bitfit" as never })).toThrow(/finetuning_type/);
  });

  it("merged output equals unmerged output after training, and unmerge restores the base", async () => {
    const base = tinyTransformer(5);
    const res = await fineTuneModel({
      baseModel: base,
      method: { finetuning_type: "lora", lora_rank: 4, lora_alpha: 8, lora_target: "all" },
      train: arithmeticExamples(16),
      validation: arithmeticExamples(4, 50),
      hyper: { learning_rate: 1e-2, num_train_epochs: 2, per_device_train_batch_size: 8, seed: 1 },
    });
    const m = res.model;
    const unmerged = logitsOf(m, ids);
    expect(maxAbsDiff(unmerged, logitsOf(base, ids))).toBeGreaterThan(1e-3); // training changed the output
    const w0 = m.weights.get("blocks.0.attn.q.weight")!.dataSync().slice();
    mergeLora(m);
    expect(m.method!.merged).toBe(true);
    expect(maxAbsDiff(logitsOf(m, ids), unmerged)).toBeLessThan(1e-4);
    unmergeLora(m);
    expect(maxAbsDiff(m.weights.get("blocks.0.attn.q.weight")!.dataSync(), w0)).toBeLessThan(1e-6);
    expect(maxAbsDiff(logitsOf(m, ids), unmerged)).toBeLessThan(1e-4);
  });
});
