// Seeded random inputs, including the awkward ones (NaN, Inf, repeated and unsorted steps,
// constant and negative curves, missing and constant factors): every call must return a
// well-formed result instead of crashing.
import { describe, expect, it } from "vitest";
import { downsampleMinMax } from "./curves/downsample-min-max";
import { emaSmooth } from "./curves/ema-smooth";
import { lttb } from "./curves/lttb";
import type { SeriesPoint } from "./curves/types";
import { factorImpact } from "./factors/factor-impact";
import type { FactorRun } from "./factors/types";
import { createRng, type Rng } from "./math/rng";
import { diagnoseOverfitting } from "./overfitting/diagnose-overfitting";

const VERDICTS = ["still_improving", "good_fit", "overfitting", "underfitting", "diverged", "too_short", "metric_still_improving", "degrading", "eval_broken"];

function randomCurve(rng: Rng): SeriesPoint[] {
  const n = Math.floor(rng() * 60);
  const kind = Math.floor(rng() * 5);
  return Array.from({ length: n }, (_, i) => {
    const r = rng();
    const value =
      r < 0.03 ? NaN : r < 0.05 ? Infinity : kind === 0 ? 1 : kind === 1 ? -i : kind === 2 ? Math.exp(-i / 10) + rng() : kind === 3 ? 0 : 1e6 * rng();
    const step = rng() < 0.1 ? Math.floor(rng() * n) : i * 3;
    return rng() < 0.5 ? { step, value } : { step, value, time: 1000 + i, epoch: i / 10 };
  });
}

describe("robustness", () => {
  it("curve functions and the diagnosis never crash on random curves", () => {
    const rng = createRng(11);
    for (let k = 0; k < 300; k++) {
      const train = randomCurve(rng);
      const val = randomCurve(rng);
      const d = diagnoseOverfitting(train, val, { config: { dropout: 0, learning_rate: 1e-3, num_train_epochs: 3, lora_rank: 16, finetuning_type: "lora" } });
      expect(VERDICTS).toContain(d.verdict);
      expect(d.confidence).toBeGreaterThanOrEqual(0);
      expect(d.confidence).toBeLessThanOrEqual(1);
      expect(typeof d.summary).toBe("string");
      expect(emaSmooth(val, 0.9)).toHaveLength(val.length);
      expect(downsampleMinMax(val, 10).length).toBeLessThanOrEqual(10);
      expect(lttb(val, 10).length).toBeLessThanOrEqual(10);
    }
  });

  it("factorImpact never crashes on random runs with missing, constant and mixed factors", () => {
    const rng = createRng(12);
    for (let k = 0; k < 12; k++) {
      const n = 2 + Math.floor(rng() * 30);
      const runs: FactorRun[] = Array.from({ length: n }, (_, i) => ({
        id: `r${i}`,
        target: rng() < 0.1 ? null : rng() * 3,
        factors: {
          base_model: rng() < 0.2 ? undefined : ["a", "b"][Math.floor(rng() * 2)],
          dataset: "only",
          lr: rng() < 0.3 ? null : 10 ** (-5 + 2 * rng()),
          flag: rng() < 0.5,
          mixed: rng() < 0.5 ? 1 : "one",
        },
      }));
      const res = factorImpact(runs, { direction: k % 2 ? "maximize" : "minimize", bootstrap: 3, trees: 8 });
      expect(res.runs + res.skipped.length).toBe(n);
      expect(typeof res.answer.text).toBe("string");
      const total = res.families.reduce((a, f) => a + f.share, 0);
      expect(total === 0 || Math.abs(total - 1) < 1e-9).toBe(true);
    }
  });
});
