import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/parse-config";
import { createRng } from "../data/create-rng";
import { decodeTokens } from "../tokenizer/byte-tokenizer";
import type { ClassifierExample, LmExample, MlpConfig, TransformerConfig } from "../types";
import { encodeSplits, loadSplitRecords } from "./prepare-data";

const lm: TransformerConfig = { family: "transformer", vocabSize: 259, contextLength: 40, layers: 1, width: 8, heads: 1, ffnWidth: 32 };

describe("encodeSplits", () => {
  it("encodes LM examples within the context, with dataset info for the run", () => {
    const config = parseConfig({ base_model: "m", dataset: "reverse", max_samples: 100, val_size: 0.2, test_size: 10, seed: 5 });
    const data = encodeSplits(config, lm, loadSplitRecords(config));
    expect(data.info).toMatchObject({ name: "reverse", trainSize: 70, validationSize: 20, testSize: 10 });
    expect(data.info.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(data.train).toHaveLength(70);
    expect((data.train as LmExample[]).every((e) => e.input.length <= 40)).toBe(true);
    expect(encodeSplits(config, lm, loadSplitRecords(config)).records).toEqual(data.records);
    expect(encodeSplits(parseConfig({ ...config, seed: 6 }), lm, loadSplitRecords({ ...config, seed: 6 })).records.validation).not.toEqual(data.records.validation);
  });

  it("wires template paraphrase: the hook swaps prompts for the same record under other templates", () => {
    const config = parseConfig({ base_model: "m", dataset: "uppercase", max_samples: 30, augmentation: { methods: ["template_paraphrase"], rate: 1 } });
    const data = encodeSplits(config, lm, loadSplitRecords(config));
    const out = data.augment!(data.train, createRng(1)) as LmExample[];
    const texts = out.map((e) => decodeTokens(e.input));
    expect(texts.filter((t, i) => t !== decodeTokens((data.train[i] as LmExample).input)).length).toBe(data.train.length);
    // Same response under a different prompt wording.
    const responseOf = (e: LmExample) => e.target.filter((_, i) => e.lossMask![i] === 1);
    out.forEach((e, i) => expect(responseOf(e)).toEqual(responseOf(data.train[i] as LmExample)));
  });

  it("featurizes text + label records for the MLP family and refuses other kinds", () => {
    const mlp: MlpConfig = { family: "mlp", inputDim: 32, hidden: [16], numClasses: 4 };
    const config = parseConfig({ base_model: "m", dataset: "keywords", max_samples: 80 });
    const data = encodeSplits(config, mlp, loadSplitRecords(config));
    expect(data.labels).toEqual(["food", "sport", "tech", "weather"]);
    const ex = data.train[0] as ClassifierExample;
    expect(ex.features).toHaveLength(32);
    expect(Math.hypot(...ex.features)).toBeCloseTo(1, 6);
    expect(() => encodeSplits(config, { ...mlp, numClasses: 2 }, loadSplitRecords(config))).toThrow("dataset 'keywords' has 4 labels (food, sport, tech, weather) but the base model has 2 classes");
    const other = parseConfig({ base_model: "m", dataset: "arithmetic" });
    expect(() => encodeSplits(other, mlp, loadSplitRecords(other))).toThrow(/needs text \+ label records, got instruction records/);
  });
});
