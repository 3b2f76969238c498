import { describe, expect, it } from "vitest";
import { makeCurves } from "../../test/synthetic-curves";
import { diagnoseOverfitting } from "./diagnose-overfitting";
import { earlyStoppingWhatIf } from "./early-stopping-what-if";

const valU = (s: number) => 0.5 + 1.5 * Math.exp(-s / 300) + 0.00012 * Math.max(0, s - 1200);
const overfit = makeCurves({ steps: 4000, evalEvery: 50, train: (s) => 0.05 + 1.6 * Math.exp(-s / 400), val: valU, valNoise: 0.01, seed: 2, secondsPerStep: 0.5 });

describe("adviseOverfitting: concrete, config-specific advice", () => {
  it("overfitting run with no regularisation gets every applicable cure, with its own numbers", () => {
    const d = diagnoseOverfitting(overfit.train, overfit.val, {
      config: { dropout: 0, weight_decay: 0, l1: 0, l2: 0, finetuning_type: "lora", lora_rank: 64, lora_dropout: 0, num_train_epochs: 10, learning_rate: 3e-4, augmentation_rate: 0, train_size: 800, validation_size: 100 },
    });
    const byId = Object.fromEntries(d.advice.map((a) => [`${a.id}:${a.setting ?? ""}`, a]));
    expect(byId["dropout:dropout"].message).toBe("dropout is 0 — try 0.1–0.3");
    expect(byId["dropout:lora_dropout"].suggested).toEqual([0.05, 0.1]);
    expect(byId["weight_decay:weight_decay"].message).toBe("weight_decay is 0 — try 0.01–0.1");
    expect(byId["lower_lora_rank:lora_rank"].message).toMatch(/^lora_rank is 64 — try 16–32/);
    expect(byId["fewer_epochs:num_train_epochs"].message).toMatch(/^num_train_epochs is 10 but val loss bottomed out at epoch ≈3(\.\d)? — use [34]–[45]$/);
    expect(byId["augmentation:augmentation_rate"]).toBeDefined();
    expect(byId["more_data:train_size"].message).toMatch(/only 800 training examples/);
    expect(byId["cross_validation:"].message).toMatch(/800 train \/ 100 validation/);
    const es = byId["early_stopping:early_stopping_patience"];
    expect(es.priority).toBe(1);
    expect(es.message).toMatch(/^early stopping is off — with early_stopping_patience \d+ it would have stopped at step [\d,]+ keeping val loss/);
    expect(es.message).toMatch(/and [\d,]+ s$/);
    expect(d.advice[0].priority).toBe(1);
  });

  it("says nothing about cures already applied or keys that are absent or not numbers", () => {
    const d = diagnoseOverfitting(overfit.train, overfit.val, { config: { dropout: 0.5, weight_decay: 0.1, finetuning_type: "lora", lora_rank: 8, learning_rate: "auto" as never } });
    const ids = d.advice.map((a) => a.setting);
    expect(ids).not.toContain("dropout");
    expect(ids).not.toContain("weight_decay");
    expect(ids).not.toContain("lora_rank");
    expect(ids).not.toContain("learning_rate");
    expect(ids).not.toContain("augmentation_rate");
  });

  it("divergence advises a lower learning rate and clipping; still improving advises more epochs; underfitting the opposite cures", () => {
    const base = makeCurves({ steps: 1000, evalEvery: 20, train: (s) => 0.3 + 2 * Math.exp(-s / 200), val: (s) => 0.35 + 2 * Math.exp(-s / 200), trainNoise: 0.02 });
    const nan = base.train.map((p) => (p.step >= 600 ? { ...p, value: NaN } : p));
    const dv = diagnoseOverfitting(nan, base.val, { config: { learning_rate: 1e-3, max_grad_norm: 0 } });
    expect(dv.advice.map((a) => a.id)).toEqual(["lower_learning_rate", "gradient_clipping"]);
    expect(dv.advice[0].message).toBe("training broke at step 600 — lower learning_rate 0.001 3–10× (1e-4–3.3e-4)");

    const up = makeCurves({ steps: 2000, evalEvery: 40, train: (s) => 0.2 + 2 * Math.exp(-s / 1500), val: (s) => 0.3 + 2 * Math.exp(-s / 1500) });
    const si = diagnoseOverfitting(up.train, up.val, { config: { num_train_epochs: 3 } });
    expect(si.verdict).toBe("still_improving");
    expect(si.advice[0]).toMatchObject({ id: "train_longer", suggested: [5, 6] });

    const flat = makeCurves({ steps: 2000, evalEvery: 50, train: (s) => 2.2 + 0.15 * Math.exp(-s / 200), val: (s) => 2.22 + 0.15 * Math.exp(-s / 200), valNoise: 0.005 });
    const uf = diagnoseOverfitting(flat.train, flat.val, { config: { learning_rate: 1e-5, dropout: 0.5, finetuning_type: "lora", lora_rank: 4 } });
    expect(uf.verdict).toBe("underfitting");
    expect(uf.advice.map((a) => a.id)).toEqual(["higher_learning_rate", "more_capacity", "less_regularization"]);
  });
});

describe("earlyStoppingWhatIf", () => {
  const val = [5, 4, 3, 3.05, 3.1, 2.99, 3.2, 3.3, 3.4, 3.5].map((value, i) => ({ step: (i + 1) * 100, value, time: 1000 + (i + 1) * 10 }));
  it("replays Keras semantics: patience in evaluations, min_delta, restore best", () => {
    const w = earlyStoppingWhatIf(val, { patience: 2 });
    expect(w).toMatchObject({ stopped: true, stopStep: 500, bestStepAtStop: 300, bestValueAtStop: 3, overallBestStep: 600, overallBestValue: 2.99, stepsSaved: 500, evaluationsSaved: 5, wallSecondsSaved: 50 });
    expect(w.lossVsOverallBest).toBeCloseTo(0.01, 12);
    // 2.99 is not better than 3 by more than 0.05: patience 3 stops at step 600 and keeps 2.99 (restore best)
    expect(earlyStoppingWhatIf(val, { patience: 3, minDelta: 0.05 })).toMatchObject({ stopStep: 600, bestStepAtStop: 600, bestValueAtStop: 2.99 });
    expect(earlyStoppingWhatIf(val, { patience: 20 })).toMatchObject({ stopped: false, stopStep: null, stepsSaved: 0, wallSecondsSaved: 0 });
  });
  it("max mode for accuracy and the training curve's end for the steps saved", () => {
    const acc = val.map((p) => ({ ...p, value: 10 - p.value }));
    const train = [{ step: 2000, value: 0.1 }];
    expect(earlyStoppingWhatIf(acc, { patience: 2, mode: "max", train })).toMatchObject({ stopStep: 500, stepsSaved: 1500, bestValueAtStop: 7 });
    expect(() => earlyStoppingWhatIf(val, { patience: 0 })).toThrow(/patience: expected an integer >= 1/);
  });
});
