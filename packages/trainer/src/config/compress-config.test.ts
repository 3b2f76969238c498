import { describe, expect, it } from "vitest";
import { parseCompressConfig, parseCompressSection } from "./compress-config";

describe("compress config", () => {
  it("fills defaults: affine weights when format is left out, train settings, data keys optional", () => {
    const c = parseCompressConfig({
      from: "abc123",
      steps: [
        { method: "ptq", weights: { bits: 8 } },
        { method: "ptq", weights: { format: "nf4" }, activations: { calibration: "percentile" } },
        { method: "qat", weights: { bits: 4, granularity: "tensor" }, train: { max_steps: 20 } },
        { method: "prune", mode: "gradual", granularity: "heads", schedule: { final_sparsity: 0.5, end_step: 40 } },
        { method: "distill", student: "tiny", temperature: 4 },
      ],
    });
    expect(c.steps[0]).toMatchObject({ weights: { format: "affine", bits: 8, scheme: "symmetric", granularity: "channel" }, sensitivity: true });
    expect(c.steps[1]).toMatchObject({ weights: { format: "nf4", double_quant: false }, activations: { bits: 8, scheme: "asymmetric", calibration: "percentile", percentile: 99.99 } });
    expect(c.steps[2]).toMatchObject({ train: { max_steps: 20, learning_rate: 1e-3, eval_steps: 10 }, compare_with_ptq: true });
    expect(c.steps[3]).toMatchObject({ schedule: { initial_sparsity: 0, begin_step: 0, frequency: 10 }, recovery_steps: 50 });
    expect(c.steps[4]).toMatchObject({ alpha: 0.5, temperature: 4 });
    expect(c.calibration_size).toBe(128);
    expect(c.dataset).toBeUndefined();
  });

  it("names each bad field and what was expected", () => {
    const bad = (raw: unknown) => {
      try {
        parseCompressConfig(raw, "compress.yaml");
      } catch (e) {
        return (e as Error).message;
      }
      return "no error";
    };
    expect(bad({ steps: [] })).toMatch(/steps/);
    expect(bad({ steps: [{ method: "ptq", weights: { bits: 3 } }] })).toMatch(/steps\.0\.weights\.bits/);
    expect(bad({ steps: [{ method: "prune", sparsity: 1.5 }] })).toMatch(/steps\.0\.sparsity/);
    expect(bad({ steps: [{ method: "prune" }] })).toMatch(/steps\.0\.sparsity: one_shot pruning needs/);
    expect(bad({ steps: [{ method: "prune", mode: "gradual", schedule: { final_sparsity: 0.5, begin_step: 10, end_step: 5 } }] })).toMatch(/end_step/);
    expect(bad({ steps: [{ method: "distill", student: "" }] })).toMatch(/steps\.0\.student/);
    expect(bad({ steps: [{ method: "squeeze" }] })).toMatch(/steps\.0\.method/);
    expect(bad({ steps: [{ method: "ptq", weights: { bits: 8 } }], calibraton_size: 3 })).toMatch(/calibraton_size: unknown field \(did you mean 'calibration_size'\?\)/);
    expect(() => parseCompressSection({ steps: [{ method: "ptq", weights: { bits: 8 } }], dataset: "x" })).toThrow(/dataset: unknown field/);
  });
});
