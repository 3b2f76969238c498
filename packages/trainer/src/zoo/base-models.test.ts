import { beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { initBackend } from "../backend";
import { ensureBaseModel, listBaseModels, type BaseModelSpec } from "./base-models";
import { generateCorpus } from "./corpus";
import { countParams, createModel, transformerConfig } from "../models/create-model";
import { logitsOf, maxAbsDiff } from "../../test/test-models";
import { pretrain } from "../pretrain/pretrain";

beforeAll(async () => {
  await initBackend();
});

describe("base-model zoo", () => {
  it("lists models of different sizes whose stated parameter counts are right", () => {
    const zoo = listBaseModels();
    expect(zoo.map((z) => z.name)).toEqual(["tiny", "small", "medium"]);
    for (const z of zoo) expect(countParams(createModel(z.name, z.config)).total).toBe(z.params);
    expect(zoo[0].params).toBeGreaterThan(50_000);
    expect(zoo[2].params).toBeLessThan(2_000_000);
    expect(new Set(zoo.map((z) => z.params)).size).toBe(3);
  });

  it("the corpus is deterministic by seed and English-like", () => {
    const a = generateCorpus(7, 5000);
    expect(a).toBe(generateCorpus(7, 5000));
    expect(a).not.toBe(generateCorpus(8, 5000));
    expect(a.length).toBe(5000);
    expect(a).toMatch(/ the /);
    expect(() => generateCorpus(1, 0)).toThrow(/chars/);
  });

  it("pretraining lowers the causal-LM loss and records itself", async () => {
    const config = transformerConfig({ vocabSize: 259, contextLength: 32, layers: 1, width: 32, heads: 2 });
    const res = await pretrain({ name: "p", config, corpus: generateCorpus(1, 20_000), corpusName: "synthetic", steps: 30, batchSize: 8, learningRate: 5e-3, evalSteps: 10 });
    expect(res.history.at(-1)!["val/loss"]).toBeLessThan(res.history[0]["val/loss"] - 0.3);
    expect(res.record).toMatchObject({ corpus: "synthetic", corpusChars: 20_000, steps: 30, batchSize: 8, tokensSeen: 30 * 8 * 32 });
    expect(res.model.pretraining).toEqual(res.record);
    await expect(pretrain({ name: "p", config, corpus: "too short", steps: 1 })).rejects.toThrow(/too short/);
  });

  it("builds deterministically on first use, then loads from the cache", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "zoo-"));
    try {
      const spec: BaseModelSpec = {
        name: "micro",
        config: transformerConfig({ vocabSize: 259, contextLength: 16, layers: 1, width: 16, heads: 2 }),
        params: 0,
        pretrainSteps: 4,
        batchSize: 4,
        learningRate: 1e-3,
        corpusChars: 4000,
        seed: 3,
        description: "test",
      };
      const built = await ensureBaseModel(spec, { cacheDir: dir });
      expect((await stat(path.join(dir, "micro", "model.json"))).isFile()).toBe(true);
      const cached = await ensureBaseModel(spec, { cacheDir: dir });
      expect(cached.pretraining).toEqual(built.pretraining);
      const ids = [72, 101, 108, 108, 111];
      expect(maxAbsDiff(logitsOf(cached, ids), logitsOf(built, ids))).toBe(0);
      // A second, independent build reaches the same weights.
      const again = await ensureBaseModel(spec, { cacheDir: path.join(dir, "other") });
      expect(maxAbsDiff(logitsOf(again, ids), logitsOf(built, ids))).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
