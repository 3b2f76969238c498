import { describe, expect, it } from "vitest";
import trainerRuns from "../../fixtures/trainer-runs.json";
import type { SeriesPoint } from "../curves/types";
import { makeCurves, rbfTrainingRun, trueMinimumStep } from "../../test/synthetic-curves";
import { diagnoseOverfitting } from "./diagnose-overfitting";

const decay = (a: number, tau: number, c: number) => (s: number) => c + a * Math.exp(-s / tau);

describe("diagnoseOverfitting verdicts on curves with a known answer", () => {
  // val falls, bottoms out, then rises linearly; train keeps falling.
  const valU = (s: number) => 0.5 + 1.5 * Math.exp(-s / 300) + 0.00012 * Math.max(0, s - 1200);
  const trainDown = decay(1.6, 400, 0.05);

  it.each([0, 0.01, 0.03])("finds the overfitting onset within 10%% of the run (val noise %s)", (noise) => {
    const truth = trueMinimumStep(valU, 4000, 50);
    const { train, val } = makeCurves({ steps: 4000, evalEvery: 50, train: trainDown, val: valU, trainNoise: 0.05, valNoise: noise, seed: 3 });
    const d = diagnoseOverfitting(train, val);
    expect(d.verdict).toBe("overfitting");
    expect(Math.abs(d.onsetStep! - truth)).toBeLessThanOrEqual(400);
    expect(d.confidence).toBeGreaterThan(0.5);
    expect(d.evidence.valSlopeTAfterOnset).toBeGreaterThanOrEqual(3);
    expect(d.evidence.trainChangeAfterOnset).toBeLessThan(0);
    expect(d.finalGap).toBeGreaterThan(0.5);
    expect(d.generalizationLoss.at(-1)!.value).toBeGreaterThan(10);
  });

  it("still improving: val keeps falling at the end", () => {
    const { train, val } = makeCurves({ steps: 2000, evalEvery: 40, train: decay(2, 1500, 0.2), val: decay(2, 1500, 0.3), valNoise: 0.01, trainNoise: 0.03 });
    const d = diagnoseOverfitting(train, val);
    expect(d.verdict).toBe("still_improving");
    expect(d.onsetStep).toBeNull();
    expect(d.evidence.recentValChange).toBeLessThan(-0.005);
  });

  it("good fit: val levels off without rising", () => {
    const { train, val } = makeCurves({ steps: 3000, evalEvery: 50, train: decay(2, 150, 0.4), val: decay(2, 150, 0.45), valNoise: 0.01, trainNoise: 0.05, seed: 5 });
    const d = diagnoseOverfitting(train, val);
    expect(d.verdict).toBe("good_fit");
    expect(d.onsetStep).toBeNull();
  });

  it("underfitting: train barely moves and val sits on it", () => {
    const { train, val } = makeCurves({ steps: 2000, evalEvery: 50, train: decay(0.15, 200, 2.2), val: decay(0.15, 200, 2.22), valNoise: 0.005, trainNoise: 0.02 });
    const d = diagnoseOverfitting(train, val);
    expect(d.verdict).toBe("underfitting");
    expect(d.evidence.trainReduction).toBeLessThan(0.15);
  });

  it("diverged on NaN, on Inf and on an explosion, with the step", () => {
    const base = makeCurves({ steps: 1000, evalEvery: 20, train: decay(2, 200, 0.3), val: decay(2, 200, 0.35), trainNoise: 0.02 });
    const nanTrain = base.train.map((p) => (p.step >= 600 ? { ...p, value: NaN } : p));
    const d1 = diagnoseOverfitting(nanTrain, base.val);
    expect(d1.verdict).toBe("diverged");
    expect(d1.divergence).toMatchObject({ step: 600, series: "train", reason: "non_finite" });
    expect(d1.confidence).toBe(1);
    const infVal = base.val.map((p) => (p.step === 500 ? { ...p, value: Infinity } : p));
    expect(diagnoseOverfitting(base.train, infVal).divergence).toMatchObject({ step: 500, series: "val", reason: "non_finite" });
    const boom = base.train.map((p) => (p.step >= 700 ? { ...p, value: p.value * 1e4 } : p));
    expect(diagnoseOverfitting(boom, base.val).divergence).toMatchObject({ step: 700, reason: "explosion" });
  });

  it("both losses climbing is instability (diverged), not overfitting", () => {
    const up = (s: number) => 0.5 + Math.exp(-s / 100) + 0.0004 * Math.max(0, s - 500);
    const { train, val } = makeCurves({ steps: 2000, evalEvery: 20, train: up, val: (s) => up(s) + 0.05, valNoise: 0.01, trainNoise: 0.01 });
    const d = diagnoseOverfitting(train, val);
    expect(d.verdict).toBe("diverged");
    expect(d.divergence?.reason).toBe("unstable");
  });

  it("too short to tell with few evaluations; works without train loss", () => {
    const { train, val } = makeCurves({ steps: 60, evalEvery: 20, train: decay(2, 50, 0.3), val: decay(2, 50, 0.3) });
    const d = diagnoseOverfitting(train, val);
    expect(d.verdict).toBe("too_short");
    expect(d.summary).toMatch(/3 finite validation points \(need 5\)/);
    expect(diagnoseOverfitting([], []).verdict).toBe("too_short");
  });

  it("train and val on different steps: gap uses the mean train loss since the previous evaluation", () => {
    const train = [1, 2, 3, 4, 5, 6].map((step) => ({ step, value: 10 - step }));
    const val = [{ step: 3, value: 9 }, { step: 6, value: 8 }, { step: 7, value: 7 }];
    const d = diagnoseOverfitting(train, val);
    expect(d.gap.map((g) => g.train)).toEqual([8, 5, 4]);
    expect(d.gap.map((g) => g.gap)).toEqual([1, 3, 3]);
  });

  it("a real gradient-descent run that overfits (RBF regression on 15 points)", () => {
    const { train, val } = rbfTrainingRun();
    let truth = val[0];
    for (const p of val) if (p.value < truth.value) truth = p;
    const d = diagnoseOverfitting(train, val, { config: { learning_rate: 0.05, early_stopping_patience: null, train_size: 15 } });
    expect(d.verdict).toBe("overfitting");
    expect(Math.abs(d.onsetStep! - truth.step)).toBeLessThanOrEqual(400);
    expect(d.best).toMatchObject({ step: truth.step, value: truth.value });
    expect(d.advice.map((a) => a.id)).toEqual(expect.arrayContaining(["early_stopping", "more_data", "cross_validation"]));
  });

  describe("curves recorded from the trainer's example configs (fixtures/trainer-runs.json)", () => {
    const run = (name: string) => {
      const r = trainerRuns.runs.find((x) => x.name === name)!;
      return { train: r.train as SeriesPoint[], val: r.val as SeriesPoint[], config: r.config as Record<string, unknown>, summary: r.summary };
    };

    it("overfit.yaml: overfitting from the logged best step on, and the cures it lacks", () => {
      const r = run("overfit");
      const d = diagnoseOverfitting(r.train, r.val, { config: r.config });
      expect(d.verdict).toBe("overfitting");
      expect(d.best!.step).toBe(r.summary.best_step);
      expect(Math.abs(d.onsetStep! - Number(r.summary.best_step))).toBeLessThanOrEqual(24); // 10% of the run
      expect(d.confidence).toBeGreaterThan(0.9);
      expect(d.best!.epoch).toBe(3);
      const ids = d.advice.map((a) => a.id);
      expect(ids).toEqual(expect.arrayContaining(["early_stopping", "fewer_epochs", "more_data", "dropout", "weight_decay", "augmentation", "smaller_model", "cross_validation"]));
      expect(d.advice.find((a) => a.id === "fewer_epochs")!.message).toBe("num_train_epochs is 40 but val loss bottomed out at epoch ≈3 — use 3–4");
    });

    it("overfit-cured.yaml: stopped early near its best, no overfitting and no cure it already has", () => {
      const r = run("overfit-cured");
      const d = diagnoseOverfitting(r.train, r.val, { config: r.config });
      expect(d.verdict).not.toBe("overfitting");
      expect(d.verdict).not.toBe("still_improving");
      expect(d.best!.step).toBe(r.summary.best_step);
      const settings = d.advice.map((a) => a.setting);
      for (const cured of ["dropout", "weight_decay", "augmentation_rate", "early_stopping_patience"]) expect(settings).not.toContain(cured);
      // the run stopped with patience 3 (the trainer's own early stopping): the replay agrees
      expect(d.earlyStopping).toMatchObject({ patience: 3, stopped: true, stopStep: r.val.at(-1)!.step });
    });
  });

  it("reports Prechelt's GL and P_k by their definitions", () => {
    const train = Array.from({ length: 10 }, (_, i) => ({ step: i + 1, value: 10 - i }));
    const val = [4, 3, 2, 3, 4, 5, 6].map((value, i) => ({ step: i + 1, value }));
    const d = diagnoseOverfitting(train, val, { stripLength: 3 });
    expect(d.generalizationLoss.map((g) => g.value)).toEqual([0, 0, 0, 50, 100, 150, 200]);
    // last three aligned train values 6,5,4 -> 1000 * (15 / (3*4) - 1)
    expect(d.trainingProgress.at(-1)!.value).toBeCloseTo(250, 10);
  });

  it("rejects malformed input naming the field", () => {
    expect(() => diagnoseOverfitting([{ step: 1 } as never], [])).toThrow(/train\[0\]\.value/);
    expect(() => diagnoseOverfitting([], [{ step: NaN, value: 1 }])).toThrow(/val\[0\]\.step: expected a finite number/);
    expect(() => diagnoseOverfitting([], [], { config: [] as never })).toThrow(/config: expected an object/);
    expect(() => diagnoseOverfitting([], [], { maxSeriesPoints: 3 })).toThrow(/options\.maxSeriesPoints/);
  });
});
