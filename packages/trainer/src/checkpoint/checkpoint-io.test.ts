import { beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm, writeFile, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint-io";
import { applyMethod, mergeLora } from "../peft/apply-method";
import { logitsOf, maxAbsDiff, snapshotBase, tinyTransformer } from "../../test/test-models";
import { countParams } from "../models/create-model";

let dir: string;
beforeAll(async () => {
  await initBackend();
  dir = await mkdtemp(path.join(os.tmpdir(), "ckpt-"));
  return () => rm(dir, { recursive: true, force: true });
});

const ids = [1, 2, 3, 100, 200, 32];

function perturb(m: ReturnType<typeof tinyTransformer>) {
  // Non-zero LoRA B / gates so the round trip is tested on values that matter.
  for (const [n, v] of m.extra) if (n.endsWith("lora_B") || n.endsWith("adapter_gate")) v.assign(tf.randomNormal(v.shape, 0, 0.1, "float32", 5));
}

describe("checkpoints", () => {
  it("round-trips a base model with its pretraining record and metadata", async () => {
    const m = tinyTransformer(31);
    m.pretraining = { corpus: "c", corpusChars: 10, steps: 3, batchSize: 2, learningRate: 0.1, finalLoss: 2.5, tokensSeen: 60, seed: 1, wallTimeMs: 5, backend: "wasm" };
    m.metadata.note = "hello";
    const { bytes } = await saveCheckpoint(m, path.join(dir, "base"));
    expect(bytes).toBe(countParams(m).total * 4);
    const back = await loadCheckpoint(path.join(dir, "base"));
    expect(back.pretraining).toEqual(m.pretraining);
    expect(back.metadata.note).toBe("hello");
    expect(back.config).toEqual(m.config);
    expect(maxAbsDiff(logitsOf(back, ids), logitsOf(m, ids))).toBe(0);
  });

  it("round-trips lora, qlora (double quant) and llama_adapter models bit-exactly", async () => {
    for (const method of [
      { finetuning_type: "lora" as const, lora_rank: 2, lora_target: "all" },
      { finetuning_type: "qlora" as const, lora_rank: 2, double_quantization: true },
      { finetuning_type: "llama_adapter" as const, adapter_len: 2 },
    ]) {
      const m = applyMethod(tinyTransformer(32), method, 2);
      perturb(m);
      const d = path.join(dir, method.finetuning_type);
      await saveCheckpoint(m, d);
      const back = await loadCheckpoint(d);
      expect(back.method).toEqual(m.method);
      expect(maxAbsDiff(logitsOf(back, ids), logitsOf(m, ids))).toBe(0);
      const [a, b] = [snapshotBase(m), snapshotBase(back)];
      for (const [n, bytes] of a) expect(Buffer.compare(Buffer.from(b.get(n)!), Buffer.from(bytes)), n).toBe(0);
      expect(countParams(back)).toEqual(countParams(m));
    }
  });

  it("saves on one backend and loads on another", async () => {
    const m = applyMethod(tinyTransformer(34), { finetuning_type: "qlora", lora_rank: 2 }, 1);
    perturb(m);
    const want = logitsOf(m, ids);
    await saveCheckpoint(m, path.join(dir, "cross"));
    try {
      await initBackend("cpu");
      const back = await loadCheckpoint(path.join(dir, "cross"));
      expect(maxAbsDiff(logitsOf(back, ids), want)).toBeLessThan(1e-4);
      await saveCheckpoint(back, path.join(dir, "cross-cpu"));
    } finally {
      await initBackend("wasm");
    }
    const again = await loadCheckpoint(path.join(dir, "cross-cpu"));
    expect(maxAbsDiff(logitsOf(again, ids), want)).toBe(0);
  });

  it("a merged LoRA model loads merged", async () => {
    const m = applyMethod(tinyTransformer(33), { finetuning_type: "lora", lora_rank: 2 }, 1);
    perturb(m);
    const before = logitsOf(m, ids);
    mergeLora(m);
    await saveCheckpoint(m, path.join(dir, "merged"));
    const back = await loadCheckpoint(path.join(dir, "merged"));
    expect(back.method!.merged).toBe(true);
    expect(maxAbsDiff(logitsOf(back, ids), before)).toBeLessThan(1e-4);
  });

  it("reports missing, foreign and truncated checkpoints clearly", async () => {
    await expect(loadCheckpoint(path.join(dir, "nope"))).rejects.toThrow(/cannot read model.json/);
    const d = path.join(dir, "base");
    const bin = await readFile(path.join(d, "weights.bin"));
    await writeFile(path.join(d, "weights.bin"), bin.subarray(0, 100));
    await expect(loadCheckpoint(d)).rejects.toThrow(/truncated/);
    await writeFile(path.join(d, "model.json"), JSON.stringify({ format: "other" }));
    await expect(loadCheckpoint(d)).rejects.toThrow(/format/);
  });
});
