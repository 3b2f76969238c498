import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BOS_ID, EOS_ID, encodeText } from "../tokenizer/byte-tokenizer";
import type { LmExample } from "../types";
import { augmentExamples, createAugmenter, MASK_ID } from "./augment-examples";
import { createRng } from "./create-rng";
import { encodeExamples } from "./encode-examples";
import { PROMPT_TEMPLATES, resolveTemplate } from "./format-example";
import { generateDataset } from "./generate-datasets";
import { hashDataset } from "./hash-dataset";
import { listBuiltinDatasets, loadDataset } from "./load-dataset";
import { serializeRecord } from "./serialize-record";
import { splitDataset } from "./split-dataset";

const items = Array.from({ length: 100 }, (_, i) => i);

describe("splitDataset", () => {
  it("is deterministic by seed, disjoint and complete", () => {
    const a = splitDataset(items, { seed: 3, validation: 0.1, test: 0.2 });
    expect(splitDataset(items, { seed: 3, validation: 0.1, test: 0.2 })).toEqual(a);
    expect([a.train.length, a.validation.length, a.test.length]).toEqual([70, 10, 20]);
    expect([...a.train, ...a.validation, ...a.test].sort((x, y) => x - y)).toEqual(items);
    const b = splitDataset(items, { seed: 4, validation: 0.1, test: 0.2 });
    expect(b.validation).not.toEqual(a.validation);
    expect(splitDataset(items, { seed: 3, validation: 5, test: 0 }).validation).toHaveLength(5);
  });

  it("rejects splits that leave nothing to train on", () => {
    expect(() => splitDataset([1, 2], { seed: 0, validation: 1, test: 1 })).toThrow(/leave training examples/);
    expect(() => splitDataset(items, { seed: 0, validation: -1, test: 0 })).toThrow("split.validation: expected a fraction");
  });
});

describe("encodeExamples", () => {
  it("masks the loss to the response and EOS", () => {
    const [ex] = encodeExamples([{ kind: "instruction", instruction: "add", input: "1+2", output: "3" }], {
      template: PROMPT_TEMPLATES.compact,
      contextLength: 64,
    }).examples;
    const prompt = encodeText("add: 1+2\n= ");
    const full = [BOS_ID, ...prompt, ...encodeText("3"), EOS_ID];
    expect(ex.input).toEqual(full.slice(0, -1));
    expect(ex.target).toEqual(full.slice(1));
    // Targets that are response tokens: "3" and EOS, the last two.
    expect(ex.lossMask).toEqual([...prompt.map(() => 0), 1, 1]);
  });

  it("cuts long prompts from the left and splits long texts into windows", () => {
    const { examples, truncated } = encodeExamples(
      [{ kind: "completion", prompt: "x".repeat(50) + "END", completion: "ok" }],
      { template: PROMPT_TEMPLATES.compact, contextLength: 16 },
    );
    expect(truncated).toBe(1);
    expect(examples[0].input).toHaveLength(16);
    expect(examples[0].input[0]).toBe(BOS_ID);
    expect(examples[0].target.slice(-3)).toEqual([...encodeText("ok"), EOS_ID]);
    const text = encodeExamples([{ kind: "text", text: "a".repeat(40) }], { template: PROMPT_TEMPLATES.compact, contextLength: 16 }).examples;
    expect(text.map((e) => e.input.length)).toEqual([16, 16, 9]);
    expect(text.every((e) => e.lossMask!.every((m) => m === 1))).toBe(true);
  });

  it("accepts custom templates and rejects ones without a placeholder", () => {
    expect(resolveTemplate("Do {instruction} on {input} ->").noInput).toBe("Do {instruction} on  ->");
    expect(() => resolveTemplate("nonsense")).toThrow(/template: expected one of compact, alpaca/);
  });
});

describe("augmentation", () => {
  const { examples } = encodeExamples(generateDataset("reverse", 1, 50).records, { template: PROMPT_TEMPLATES.compact, contextLength: 64 });
  const spec = { methods: ["token_dropout", "span_masking"] as const, rate: 0.3, span_length: 2 };

  it("is deterministic by seed and differs across seeds", () => {
    const a = augmentExamples(examples, { ...spec, methods: [...spec.methods] }, 7);
    expect(augmentExamples(examples, { ...spec, methods: [...spec.methods] }, 7)).toEqual(a);
    expect(augmentExamples(examples, { ...spec, methods: [...spec.methods] }, 8)).not.toEqual(a);
    const hook = createAugmenter({ ...spec, methods: [...spec.methods] });
    expect(hook(examples, createRng(7))).toEqual(a);
  });

  it("never touches the response: targets under the loss mask are unchanged", () => {
    const responseOf = (e: LmExample) => e.target.filter((_, i) => e.lossMask![i] === 1);
    const out = augmentExamples(examples, { ...spec, methods: [...spec.methods], rate: 0.5 }, 1) as LmExample[];
    let changed = 0;
    out.forEach((e, i) => {
      expect(responseOf(e)).toEqual(responseOf(examples[i]));
      expect(e.input.length).toBe(e.target.length);
      expect(e.input[0]).toBe(BOS_ID);
      if (e.input.length < examples[i].input.length) changed++;
    });
    expect(changed).toBeGreaterThan(10);
    expect(out.some((e) => e.input.includes(MASK_ID))).toBe(true);
  });

  it("swaps in paraphrased prompts at the given rate", () => {
    const alt: LmExample = { input: [BOS_ID, 1], target: [1, EOS_ID], lossMask: [0, 1] };
    const table = new WeakMap(examples.map((e) => [e, [alt]] as [LmExample, LmExample[]]));
    const out = augmentExamples(examples, { methods: ["template_paraphrase"], rate: 0.5, span_length: 3 }, 2, table);
    const swapped = out.filter((e) => e === alt).length;
    expect(swapped).toBeGreaterThan(10);
    expect(swapped).toBeLessThan(40);
  });
});

describe("datasets", () => {
  it("ships generated datasets that match their generator", () => {
    expect(listBuiltinDatasets()).toEqual(expect.arrayContaining(["arithmetic", "keywords", "reverse", "sort", "uppercase"]));
    const ds = loadDataset("arithmetic");
    expect(ds.kind).toBe("instruction");
    expect(ds.contentHash).toBe(hashDataset(generateDataset("arithmetic").records));
  });

  it("loads files relative to a base directory and explains unknown names", () => {
    const dir = mkdtempSync(join(tmpdir(), "ft-ds-"));
    writeFileSync(join(dir, "mine.jsonl"), generateDataset("sort", 0, 5).records.map(serializeRecord).join("\n"));
    expect(loadDataset("mine.jsonl", dir).records).toHaveLength(5);
    expect(() => loadDataset("nope")).toThrow(/'nope' is neither a file nor a built-in dataset; expected .* arithmetic/);
    expect(() => loadDataset("./missing.csv", dir)).toThrow(/missing\.csv' not found/);
  });
});
