import { describe, expect, it } from "vitest";
import { canonicalKey, extendAliases, recognizeRunFields } from "./config-aliases";

describe("config aliases", () => {
  it("maps Hugging Face, PEFT and LLaMA-Factory spellings to one name", () => {
    expect(canonicalKey("model_name_or_path")).toBe("baseModel");
    expect(canonicalKey("_name_or_path")).toBe("baseModel");
    expect(canonicalKey("finetuning_type")).toBe("method");
    expect(canonicalKey("peft_config.r")).toBe("lora_rank");
    expect(canonicalKey("model_config.r")).toBe("model_config.r");
    expect(canonicalKey("lr")).toBe("learning_rate");
    expect(canonicalKey("warmup_steps")).toBe("warmup_steps");
  });

  it("recognises the first-class fields of an HF-style config", () => {
    const fields = recognizeRunFields({
      model_name_or_path: "Qwen/Qwen2.5-0.5B",
      dataset_name: "tatsu-lab/alpaca",
      peft_config: { peft_type: "LORA", r: 8 },
      learning_rate: 2e-4,
    });
    expect(fields).toEqual({ baseModel: "Qwen/Qwen2.5-0.5B", dataset: "tatsu-lab/alpaca", method: "lora" });
    expect(recognizeRunFields({ finetuning_type: "full", dataset: ["alpaca_en", "glaive"] })).toEqual({ method: "full", dataset: "alpaca_en,glaive" });
    expect(recognizeRunFields({ output_dir: "x" })).toEqual({});
  });

  it("lets a project add spellings", () => {
    const table = extendAliases({ baseModel: ["backbone"] });
    expect(canonicalKey("backbone", table)).toBe("baseModel");
    expect(recognizeRunFields({ backbone: "bert-base" }, table)).toEqual({ baseModel: "bert-base" });
  });
});
