import { describe, expect, it } from "vitest";
import { PROMPT_TEMPLATES } from "../data/format-example";
import { encodeExamples } from "../data/encode-examples";
import { generateDataset } from "../data/generate-datasets";
import { createModel, disposeModel, transformerConfig } from "../models/create-model";
import { evaluateModel } from "../train/evaluate-model";
import { initBackend } from "../backend";
import { evaluateEnsemble } from "./evaluate-ensemble";

describe("evaluateEnsemble", () => {
  it("equals evaluateModel for copies of one model and beats the mean loss of different models", async () => {
    await initBackend("cpu");
    const config = transformerConfig({ vocabSize: 259, contextLength: 32, layers: 1, width: 16, heads: 2 });
    const a = createModel("a", config, 1);
    const b = createModel("b", config, 2);
    const { examples } = encodeExamples(generateDataset("arithmetic", 0, 12).records, { template: PROMPT_TEMPLATES.compact, contextLength: 32 });
    try {
      const single = evaluateModel(a, examples, 5);
      const twice = evaluateEnsemble([a, a], examples, 5);
      expect(twice.loss).toBeCloseTo(single.loss, 4);
      expect(twice.accuracy).toBeCloseTo(single.accuracy, 6);
      expect(twice.tokens).toBe(examples.reduce((n, e) => n + e.lossMask!.filter(Boolean).length, 0));
      // -log of an average is at most the average of -logs (Jensen), per token and so in the mean.
      const both = evaluateEnsemble([a, b], examples, 5);
      const meanLoss = (single.loss + evaluateModel(b, examples, 5).loss) / 2;
      expect(both.loss).toBeLessThanOrEqual(meanLoss + 1e-6);
      expect(() => evaluateEnsemble([], examples)).toThrow("expected at least one model");
    } finally {
      disposeModel(a);
      disposeModel(b);
    }
  });
});
