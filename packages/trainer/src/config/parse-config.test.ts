import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "./config-error";
import { applyOverrides } from "./load-config";
import { loadTrainConfig } from "./load-train-config";
import { parseConfig } from "./parse-config";

const issuesOf = (raw: unknown): string[] => {
  try {
    parseConfig(raw, "c.yaml");
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).issues;
  }
  throw new Error("expected a ConfigError");
};

describe("parseConfig", () => {
  it("fills defaults and accepts LLaMA-Factory / PEFT aliases", () => {
    const c = parseConfig({ model_name_or_path: "tiny", dataset: "arithmetic", lora_r: 4, lora_target: "q_proj, v_proj,o_proj", kfold: 5 });
    expect(c.base_model).toBe("tiny");
    expect(c.lora_rank).toBe(4);
    expect(c.lora_target).toEqual(["q", "v", "o"]);
    expect(c.kfold).toEqual({ k: 5, ensemble: false });
    expect(c.finetuning_type).toBe("lora");
    expect(c.learning_rate).toBe(1e-3);
    expect(parseConfig({ base_model: "m", dataset: "d", lora_target: "all" }).lora_target).toBe("all");
  });

  it("names each bad field and what was expected", () => {
    expect(issuesOf({ dataset: "d" })).toEqual(["base_model: required, expected string"]);
    const issues = issuesOf({ base_model: "m", dataset: "d", lora_rank: "eight", finetuning_type: "lorra", learning_rate: -1, lora_rnk: 3 });
    expect(issues).toContain("lora_rnk: unknown field (did you mean 'lora_rank'?)");
    expect(issues.find((i) => i.startsWith("lora_rank:"))).toMatch(/expected number.*got "eight"/);
    expect(issues.find((i) => i.startsWith("finetuning_type:"))).toMatch(/"lora".*got "lorra"/);
    expect(issues.find((i) => i.startsWith("learning_rate:"))).toMatch(/>0.*got -1/);
    expect(issuesOf({ base_model: "m", dataset: "d", augmentation: { methods: ["flip"] } })[0]).toMatch(/^augmentation\.methods\.0: .*token_dropout.*got "flip"/);
    expect(issuesOf({ base_model: "m", model: "n", dataset: "d" })).toEqual(["model: is an alias of 'base_model', which is also set; keep one"]);
    expect(issuesOf([1])).toEqual(["(root): expected a mapping of config keys, got [1]"]);
    expect(issuesOf({ base_model: "m", dataset: "d", quantization_bit: 3 })[0]).toMatch(/^quantization_bit: .*got 3/);
  });
});

describe("overrides and YAML", () => {
  it("applies --set with YAML-typed values and dotted keys", () => {
    const out = applyOverrides({ a: 1, augmentation: { rate: 0.1 } }, ["a=2", "lora_target=[q,v]", "use_rslora=true", "augmentation.rate=0.3", "name=run 1", "x.y.z=hi"]);
    expect(out).toEqual({ a: 2, lora_target: ["q", "v"], use_rslora: true, augmentation: { rate: 0.3 }, name: "run 1", x: { y: { z: "hi" } } });
    expect(() => applyOverrides({}, ["novalue"])).toThrow("'novalue': expected key=value");
  });

  it("loads a YAML file, resolves dataset paths beside it and reports YAML errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "ft-cfg-"));
    writeFileSync(join(dir, "c.yaml"), "base_model: tiny\ndataset: data/mine.jsonl\nfinetuning_type: full\n");
    const c = loadTrainConfig(join(dir, "c.yaml"), ["learning_rate=0.01"]);
    expect(c.dataset).toBe(join(dir, "data/mine.jsonl"));
    expect(c.learning_rate).toBe(0.01);
    expect(c.finetuning_type).toBe("full");
    writeFileSync(join(dir, "bad.yaml"), "base_model: [unclosed\n");
    expect(() => loadTrainConfig(join(dir, "bad.yaml"))).toThrow(/bad\.yaml:\n  - not valid YAML/);
    expect(() => loadTrainConfig(join(dir, "none.yaml"))).toThrow(/expected a YAML config/);
    expect(() => loadTrainConfig(join(dir, "c.yaml"), ["finetuning_type=magic"])).toThrow(/finetuning_type: .*got "magic"/);
  });
});
