import { beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { disposeModel } from "../models/create-model";
import { evaluateModel } from "../train/evaluate-model";
import { runPtq } from "./run-ptq";
import { runPruning } from "./run-pruning";
import { loadCompressedCheckpoint, saveCompressedCheckpoint } from "./compressed-checkpoint";
import { fineTunedLm, type Fixture } from "../../test/compress-fixtures";
import type { WeightQuantSpec } from "./quantize-tensor";

let fx: Fixture;
let dir: string;
beforeAll(async () => {
  fx = await fineTunedLm(60);
  dir = await mkdtemp(path.join(tmpdir(), "ft-compress-"));
  return () => rm(dir, { recursive: true, force: true });
}, 60_000);

describe("compressed checkpoints", () => {
  const specs: WeightQuantSpec[] = [
    { format: "affine", bits: 8, scheme: "asymmetric", granularity: "channel" },
    { format: "affine", bits: 4, scheme: "symmetric", granularity: "tensor" },
    { format: "nf4", double_quant: true },
  ];
  for (const weights of specs) {
    it(`a ${JSON.stringify(weights)} checkpoint is as big as reported, loads and evaluates as before saving`, async () => {
      const r = runPtq(fx.model, { weights, validation: fx.validation });
      const out = path.join(dir, JSON.stringify(weights).replace(/\W+/g, "-"));
      const saved = await saveCompressedCheckpoint(r, out);
      expect(saved.bytes).toBe(r.bytes);
      expect((await stat(path.join(out, "compressed.bin"))).size).toBe(r.bytes);
      const loaded = await loadCompressedCheckpoint(out);
      expect(loaded.metadata.compression).toMatchObject({ technique: "ptq" });
      for (const [name, v] of r.model.weights) expect(Array.from(loaded.weights.get(name)!.dataSync()), name).toEqual(Array.from(v.dataSync()));
      const ev = evaluateModel(loaded, fx.validation);
      expect(ev.loss).toBeCloseTo(r.after.loss, 6);
      expect(ev.accuracy).toBe(r.after.accuracy);
      disposeModel(loaded);
      disposeModel(r.model);
    });
  }

  it("with embeddings: the token and position tables are int8 per row too, and reload exactly", async () => {
    const weights: WeightQuantSpec = { format: "affine", bits: 8, scheme: "symmetric", granularity: "channel" };
    const plain = runPtq(fx.model, { weights, validation: fx.validation });
    const r = runPtq(fx.model, { weights, embeddings: true, validation: fx.validation, sensitivity: true });
    const tok = r.model.weights.get("tok_emb")!.shape as [number, number];
    const pos = r.model.weights.get("pos_emb")!.shape as [number, number];
    // fp32 tables (v·d + t·d floats) become int8 codes plus one fp32 scale per row.
    expect(plain.bytes - r.bytes).toBe((tok[0] * tok[1] + pos[0] * pos[1]) * 3 - (tok[0] + pos[0]) * 4);
    expect(r.layers.map((l) => l.layer)).toContain("tok_emb");
    expect(r.label).toBe("int8-sym-channel-emb");
    const out = path.join(dir, "emb");
    expect((await saveCompressedCheckpoint(r, out)).bytes).toBe(r.bytes);
    const loaded = await loadCompressedCheckpoint(out);
    expect(Array.from(loaded.weights.get("tok_emb")!.dataSync())).toEqual(Array.from(r.model.weights.get("tok_emb")!.dataSync()));
    expect(evaluateModel(loaded, fx.validation).loss).toBeCloseTo(r.after.loss, 6);
    for (const m of [loaded, r.model, plain.model]) disposeModel(m);
  });

  it("a pruned checkpoint stores masks and non-zeros and reloads exactly", async () => {
    const r = await runPruning(fx.model, { granularity: "heads", mode: "one_shot", sparsity: 0.5, recovery_steps: 0, train: fx.train, validation: fx.validation, hyper: {} });
    const out = path.join(dir, "pruned");
    const saved = await saveCompressedCheckpoint(r, out);
    expect(saved.bytes).toBe(r.bytes);
    expect(r.bytes).toBeLessThan(r.bytesBefore);
    const loaded = await loadCompressedCheckpoint(out);
    expect(evaluateModel(loaded, fx.validation).loss).toBeCloseTo(r.after.loss, 6);
    disposeModel(loaded);
    disposeModel(r.model);
  });

  it("a damaged checkpoint fails with a clear message", async () => {
    const out = path.join(dir, "bad");
    const r = runPtq(fx.model, { weights: specs[0], validation: fx.validation.slice(0, 4) });
    await saveCompressedCheckpoint(r, out);
    await writeFile(path.join(out, "compressed.bin"), new Uint8Array(10));
    await expect(loadCompressedCheckpoint(out)).rejects.toThrow(/truncated at/);
    await expect(loadCompressedCheckpoint(path.join(dir, "missing"))).rejects.toThrow(/cannot read compressed.json/);
    disposeModel(r.model);
  });
});
