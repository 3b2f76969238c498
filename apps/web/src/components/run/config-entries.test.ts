import { describe, expect, it } from "vitest";
import { configEntries } from "./config-entries";

describe("config entries", () => {
  it("sorts keys naturally, formats floats and bytes, keeps the exact value for hover", () => {
    const { entries } = configEntries({ warmup_ratio: 0.08333333333333333, b: { layer10: 1, layer2: 2 }, a_bytes: 1234567, tags: ["x", "y"] });
    expect(entries.map((e) => e.key)).toEqual(["a_bytes", "b.layer2", "b.layer10", "tags", "warmup_ratio"]);
    const warmup = entries.find((e) => e.key === "warmup_ratio")!;
    expect(warmup.text).toBe("0.083333");
    expect(warmup.raw).toBe("0.08333333333333333");
    expect(entries.find((e) => e.key === "a_bytes")!.text).toBe("1,234,567 B (1.18 MiB)");
    expect(entries.find((e) => e.key === "tags")!.text).toBe("x, y");
  });

  it("folds away options that do not apply to the fine-tuning type", () => {
    const config = { finetuning_type: "full", lora_rank: 8, lora_alpha: 16, quantization_bit: 4, learning_rate: 0.001 };
    const { entries, hidden } = configEntries(config);
    expect(entries.map((e) => e.key)).toEqual(["finetuning_type", "learning_rate"]);
    expect(hidden.map((e) => e.key)).toEqual(["lora_alpha", "lora_rank", "quantization_bit"]);
    expect(configEntries({ ...config, finetuning_type: "lora" }).hidden.map((e) => e.key)).toEqual(["quantization_bit"]);
    // The run's method stands in when the config does not name the type.
    expect(configEntries({ lora_rank: 8 }, "full").hidden.map((e) => e.key)).toEqual(["lora_rank"]);
    expect(configEntries({ lora_rank: 8 }).hidden).toEqual([]);
  });

  it("treats keys as data and lists of objects as tables", () => {
    const value = JSON.parse('{"__proto__": {"x": 1}, "layers": [{"layer": "q", "bytes_after": 10}, {"layer": "k"}]}');
    const { entries } = configEntries(value);
    expect(entries.map((e) => e.key)).toEqual(["__proto__.x", "layers"]);
    expect(entries[1].rows).toHaveLength(2);
    expect(entries[1].text).toBe("2 rows");
  });
});
