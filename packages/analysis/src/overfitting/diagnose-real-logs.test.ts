// The diagnosis on curves shaped like real training logs (test/real-logs.ts): sparse
// epoch-end evaluations, a task metric beside the loss, a learning rate too high from the start,
// a broken evaluation, TensorBoard's evaluation spacing.
import { describe, expect, it } from "vitest";
import { createRng } from "../math/rng";
import { gaussian } from "../../test/synthetic-curves";
import { diagnoseOverfitting } from "./diagnose-overfitting";
import { hfCurve, hfLogHistory, llamaFactoryCurve, llamaFactoryLog, tensorBoardCurve, tensorBoardScalars } from "../../test/real-logs";

const table = (values: number[], steps: number[]) => (s: number) => values[steps.indexOf(s)];

describe("Whisper fine-tune (HF Seq2SeqTrainer, eval every 500 of 4000 steps, metric_for_best_model wer)", () => {
  const evalSteps = [500, 1000, 1500, 2000, 2500, 3000, 3500, 4000];
  const history = (wer: (s: number) => number) =>
    hfLogHistory({
      maxSteps: 4000,
      stepsPerEpoch: 440,
      loggingSteps: 25,
      evalSteps,
      learningRate: 1e-5,
      train: (s) => 0.12 + 1.5 * Math.exp(-s / 600),
      // eval loss bottoms out at step 1000 and climbs (0.312, 0.300, 0.312, 0.348, …, 0.732)
      evalLoss: (s) => 0.3 + 0.012 * ((s - 1000) / 500) ** 2,
      evalMetrics: (s) => ({ eval_wer: Number(wer(s).toFixed(4)) }),
      seed: 4,
    });
  const falling = (s: number) => 35 + 40 * Math.exp(-s / 1200);
  const h = history(falling);
  const train = hfCurve(h, "train/loss");
  const val = hfCurve(h, "eval/loss");
  const wer = { name: "eval/wer", series: hfCurve(h, "eval/wer"), greaterIsBetter: false, selectsCheckpoint: true };

  it("the training curve is the per-step loss, not the end-of-training train_loss", () => {
    expect(train).toHaveLength(160);
    expect(val.map((p) => p.step)).toEqual(evalSteps);
  });

  it("eval loss rising while WER keeps improving: keep the checkpoint by the metric, not plain overfitting", () => {
    const d = diagnoseOverfitting(train, val, { metric: wer, config: { learning_rate: 1e-5, max_steps: 4000, metric_for_best_model: "wer" } });
    expect(d.verdict).toBe("metric_still_improving");
    expect(d.summary).toMatch(/^Loss overfits, the metric still improves: keep the checkpoint by the metric \(eval\/wer best 36\.\d+ at step 4,000\)\./);
    expect(d.onsetStep).toBe(1000);
    expect(d.best).toMatchObject({ step: 1000 });
    expect(d.metric).toMatchObject({ name: "eval/wer", selectsCheckpoint: true, best: { step: 4000 }, atLossBest: { step: 1000 } });
    expect(d.metric!.improvementAfterLossBest).toBeGreaterThan(0.2);
    expect(d.advice[0]).toMatchObject({ id: "select_by_metric", priority: 1 });
    expect(d.advice[0].message).toMatch(/already chosen by eval\/wer/);
    // Early stopping replays what the Trainer watches (WER), which never stopped improving.
    expect(d.earlyStopping).toMatchObject({ monitor: "eval/wer", stopped: false, evaluationSpacingSteps: 500 });
  });

  it("8 evaluations: a verdict, with a confidence that says it rests on few points", () => {
    const d = diagnoseOverfitting(train, val, { metric: wer });
    expect(d.sparse).toBe(true);
    expect(d.confidence).toBeLessThanOrEqual(0.45 + 0.035 * 8);
    expect(d.summary).toMatch(/Only 8 evaluations, so the confidence is limited \(7\d%\)\./);
    expect(d.reasons).toContain("the rise began between the evaluations at step 1,000 and step 1,500");
  });

  it("without the metric the same curves are plain overfitting since step 1000", () => {
    const d = diagnoseOverfitting(train, val);
    expect(d.verdict).toBe("overfitting");
    expect(d.onsetStep).toBe(1000);
    expect(d.metric).toBeNull();
    expect(d.earlyStopping.monitor).toBe("loss");
  });

  it("when WER worsens with the loss it is overfitting, and the metric is named as agreeing", () => {
    const hw = history((s) => 40 + 6 * ((s - 1000) / 500) ** 2);
    const d = diagnoseOverfitting(hfCurve(hw, "train/loss"), hfCurve(hw, "eval/loss"), { metric: { ...wer, series: hfCurve(hw, "eval/wer") } });
    expect(d.verdict).toBe("overfitting");
    expect(d.reasons.some((r) => r.startsWith("eval/wer did not improve after the loss's best either"))).toBe(true);
    expect(d.earlyStopping).toMatchObject({ monitor: "eval/wer", stopped: true, bestStepAtStop: 1000 });
  });
});

describe("text classifier (HF Trainer, eval_strategy epoch: evaluations at steps 1626, 3252, …)", () => {
  const steps = [1626, 3252, 4878, 6504, 8130, 9756];
  const run = (f1: number[]) => {
    const h = hfLogHistory({
      maxSteps: 9756,
      stepsPerEpoch: 1626,
      loggingSteps: 50,
      evalSteps: steps,
      learningRate: 2e-5,
      train: (s) => 0.04 + 0.6 * Math.exp(-s / 2000),
      evalLoss: table([0.32, 0.28, 0.3, 0.35, 0.41, 0.47], steps),
      evalMetrics: (s) => ({ eval_f1: table(f1, steps)(s), eval_accuracy: table(f1, steps)(s) + 0.01 }),
      seed: 9,
    });
    return { train: hfCurve(h, "train/loss"), val: hfCurve(h, "eval/loss"), f1: { name: "eval/f1", series: hfCurve(h, "eval/f1"), greaterIsBetter: true } };
  };

  it("F1 peaking with the loss: overfitting since the second epoch, best at epoch 2", () => {
    const r = run([0.88, 0.91, 0.905, 0.9, 0.89, 0.885]);
    const d = diagnoseOverfitting(r.train, r.val, { metric: r.f1, config: { num_train_epochs: 6 } });
    expect(d.verdict).toBe("overfitting");
    expect(d.onsetStep).toBe(3252);
    expect(d.best).toMatchObject({ step: 3252, epoch: 2 });
    expect(d.sparse).toBe(true);
    expect(d.confidence).toBeLessThanOrEqual(0.45 + 0.035 * 6);
    // the Trainer's own numbers: six evaluations, so patience 10 cannot stop and is left out
    expect(d.earlyStoppingTable.map((w) => w.patience)).toEqual([1, 2, 3, 5]);
    expect(d.earlyStopping.evaluationSpacingSteps).toBe(1626);
  });

  it("F1 still better one epoch after the loss's best: the metric's checkpoint, and that it then declined", () => {
    const r = run([0.88, 0.9, 0.915, 0.91, 0.905, 0.9]);
    const d = diagnoseOverfitting(r.train, r.val, { metric: r.f1 });
    expect(d.verdict).toBe("metric_still_improving");
    expect(d.metric).toMatchObject({ best: { step: 4878, value: 0.915 }, atLossBest: { step: 3252, value: 0.9 } });
    expect(d.reasons[1]).toMatch(/eval\/f1 \(higher is better\) improved until step 4,878 \(0\.915\), then lost 1\.6%/);
    expect(d.advice[0].message).toMatch(/^keep the checkpoint by eval\/f1 \(step 4,878, 0\.915\), not by val loss \(step 3,252\): metric_for_best_model="f1", greater_is_better=True/);
  });

  it("a noisy accuracy plateau whose luckiest evaluation comes after the loss's best is still plain overfitting", () => {
    const evalSteps = Array.from({ length: 60 }, (_, i) => (i + 1) * 100);
    const rng = createRng(12);
    const h = hfLogHistory({
      maxSteps: 6000, stepsPerEpoch: 1000, loggingSteps: 20, evalSteps, learningRate: 2e-5,
      train: (s) => 0.05 + 0.6 * Math.exp(-s / 1500),
      evalLoss: (s) => 0.3 + 0.3 * Math.exp(-s / 400) + 0.00004 * Math.max(0, s - 1500),
      evalMetrics: (s) => ({ eval_accuracy: Math.min(0.9, 0.7 + 0.0002 * s) + 0.004 * gaussian(rng) }),
      seed: 12,
    });
    const acc = { name: "eval/accuracy", series: hfCurve(h, "eval/accuracy"), greaterIsBetter: true };
    const d = diagnoseOverfitting(hfCurve(h, "train/loss"), hfCurve(h, "eval/loss"), { metric: acc });
    expect(d.metric!.best!.step).toBeGreaterThan(d.best!.step); // the raw maximum does come later…
    // by more than the 0.5 % a raw comparison would have taken for "still improving"…
    expect((d.metric!.best!.value - d.metric!.atLossBest!.value) / d.metric!.atLossBest!.value).toBeGreaterThan(0.005);
    expect(d.metric!.improvesAfterLossBest).toBe(false); // …but within the plateau's noise
    expect(d.verdict).toBe("overfitting");
  });

  it("six falling evaluations: still improving, with capped confidence", () => {
    const h = hfLogHistory({ maxSteps: 9756, stepsPerEpoch: 1626, loggingSteps: 50, evalSteps: steps, learningRate: 2e-5, train: (s) => 0.2 + 0.6 * Math.exp(-s / 6000), evalLoss: (s) => 0.3 + 0.4 * Math.exp(-s / 5000), seed: 2 });
    const d = diagnoseOverfitting(hfCurve(h, "train/loss"), hfCurve(h, "eval/loss"), { config: { num_train_epochs: 1 } });
    expect(d.verdict).toBe("still_improving");
    expect(d.advice[0].message).toMatch(/raise num_train_epochs from 1 to 2$/);
    expect(d.confidence).toBeLessThanOrEqual(0.45 + 0.035 * 6);
    expect(d.onsetStep).toBeNull();
  });
});

describe("onset only where the evidence supports one", () => {
  it("five evaluations, the rise resting on the last two: overfitting without an onset step", () => {
    const steps = [200, 400, 600, 800, 1000];
    const h = hfLogHistory({ maxSteps: 1000, stepsPerEpoch: 200, loggingSteps: 10, evalSteps: steps, learningRate: 3e-4, train: (s) => 0.3 + 1.2 * Math.exp(-s / 300), evalLoss: table([0.9, 0.8, 0.76, 0.8, 0.86], steps), seed: 5 });
    const d = diagnoseOverfitting(hfCurve(h, "train/loss"), hfCurve(h, "eval/loss"));
    expect(d.verdict).toBe("overfitting");
    expect(d.onsetStep).toBeNull();
    expect(d.best?.step).toBe(600);
    expect(d.summary).toMatch(/^Overfitting: val loss rose/);
    expect(d.reasons).toContain("no onset step: fewer than 3 evaluations after the best (step 600) carry the rise");
    expect(d.confidence).toBeLessThanOrEqual(0.45 + 0.035 * 5);
  });
});

describe("LLaMA-Factory full fine-tune with too high a learning rate (trainer_log.jsonl)", () => {
  const lines = llamaFactoryLog({
    totalSteps: 1000,
    loggingSteps: 10,
    evalSteps: 100,
    learningRate: 5e-4,
    train: (s) => (s <= 100 ? 2 - 0.007 * s : 1.3 + 0.0012 * (s - 100)),
    evalLoss: (s) => 1.4 + 0.0013 * (s - 100),
  });
  const train = llamaFactoryCurve(lines, "loss");
  const val = llamaFactoryCurve(lines, "eval_loss");

  it("reads one point per step from a log that repeats every line", () => {
    expect(lines.length).toBe(2 * 100 + 10);
    expect(train).toHaveLength(100);
    expect(val).toHaveLength(10);
  });

  it("train and eval loss both worse after the first evaluation: degrading, not overfitting", () => {
    const d = diagnoseOverfitting(train, val, { config: { learning_rate: 5e-4, warmup_ratio: 0, finetuning_type: "full" } });
    expect(d.verdict).toBe("degrading");
    expect(d.divergence).toBeNull();
    expect(d.onsetStep).toBeNull();
    expect(d.summary).toMatch(/^Degrading: train and val loss both got worse after the first evaluation/);
    expect(d.advice.map((a) => a.id)).toEqual(["lower_learning_rate", "warmup"]);
    expect(d.advice[0].message).toContain("lower learning_rate 5e-4 3–10×");
  });

  it("a second evaluation a hair better than the first does not turn it into mid-run instability", () => {
    const noisyFirst = llamaFactoryLog({ totalSteps: 1000, loggingSteps: 10, evalSteps: 100, learningRate: 5e-4, train: (s) => (s <= 100 ? 2 - 0.007 * s : 1.3 + 0.0012 * (s - 100)), evalLoss: (s) => (s === 100 ? 1.56 : 1.4 + 0.0013 * (s - 100)) });
    const d = diagnoseOverfitting(llamaFactoryCurve(noisyFirst, "loss"), llamaFactoryCurve(noisyFirst, "eval_loss"));
    expect(d.best?.step).toBe(200);
    expect(d.verdict).toBe("degrading");
    expect(d.summary).toMatch(/since step 200\)/);
  });
});

describe("a broken evaluation (fp16 eval overflow: eval_loss NaN in trainer_state.json)", () => {
  const steps = [250, 500, 750, 1000, 1250, 1500, 1750, 2000];
  const make = (train: (s: number) => number, evalLoss: (s: number) => number) => {
    const h = hfLogHistory({ maxSteps: 2000, stepsPerEpoch: 500, loggingSteps: 20, evalSteps: steps, learningRate: 2e-4, train, evalLoss, seed: 6 });
    return { train: hfCurve(h, "train/loss"), val: hfCurve(h, "eval/loss") };
  };

  it("NaN eval loss with a finite, falling train loss: the evaluation is broken, not divergence", () => {
    const r = make((s) => 0.4 + 1.4 * Math.exp(-s / 500), () => NaN);
    expect(r.val).toHaveLength(8);
    const d = diagnoseOverfitting(r.train, r.val);
    expect(d.verdict).toBe("eval_broken");
    expect(d.summary).toMatch(/^The evaluation is broken: val loss is NaN at 8 of 8 evaluations \(first at step 250\) while train loss stayed finite and fell \d+(\.\d+)?%/);
    expect(d.advice[0].id).toBe("fix_evaluation");
  });

  it("NaN from the fourth evaluation on: still the evaluation while training keeps falling", () => {
    const r = make((s) => 0.4 + 1.4 * Math.exp(-s / 500), (s) => (s >= 1000 ? NaN : 0.6 + Math.exp(-s / 400)));
    const d = diagnoseOverfitting(r.train, r.val);
    expect(d.verdict).toBe("eval_broken");
    expect(d.divergence).toMatchObject({ step: 1000, series: "val", reason: "non_finite" });
  });

  it("NaN in both losses is divergence", () => {
    const r = make((s) => (s > 900 ? NaN : 0.4 + 1.4 * Math.exp(-s / 500)), (s) => (s >= 1000 ? NaN : 0.6 + Math.exp(-s / 400)));
    expect(diagnoseOverfitting(r.train, r.val).verdict).toBe("diverged");
  });

  it("NaN eval loss beside a train loss that is not falling is divergence", () => {
    const r = make((s) => 1 + 0.0002 * s, () => NaN);
    expect(diagnoseOverfitting(r.train, r.val).verdict).toBe("diverged");
  });
});

describe("NaN/Inf points a curve recovers from are left out, not a verdict", () => {
  it("an Infinity training loss at one logged step (fp16 overflow) that recovers is no divergence", () => {
    const steps = [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000];
    const h = hfLogHistory({ maxSteps: 8000, stepsPerEpoch: 1000, loggingSteps: 100, evalSteps: steps, learningRate: 2e-5, train: (s) => (s === 2300 ? Infinity : 0.08 + 0.69 * Math.exp(-s / 1500)), evalLoss: (s) => 0.3 + 0.3 * Math.exp(-s / 1500), seed: 8 });
    const train = hfCurve(h, "train/loss");
    expect(train.find((p) => p.step === 2300)?.value).toBe(Infinity);
    const d = diagnoseOverfitting(train, hfCurve(h, "eval/loss"));
    expect(d.verdict).not.toBe("diverged");
    expect(d.divergence).toMatchObject({ step: 2300, series: "train", reason: "non_finite", persistent: false });
    expect(d.summary).toContain("Note: train loss was Infinity at 1 of 80 logged steps (first at step 2,300) and recovered (fp16 loss scaling skips such steps): left out.");
  });

  it("one NaN evaluation among 40 (TensorBoard Loss/val): the run still reads as overfitting", () => {
    const scalars = tensorBoardScalars({ steps: 200, evalEvery: 5, train: (s) => 2.5 * Math.exp(-s / 60) + 0.1, val: (s) => 1.2 + 1.3 * Math.exp(-s / 50) + Math.max(0, s - 90) / 300 });
    const val = tensorBoardCurve(scalars, "Loss/val").map((p) => (p.step === 149 ? { ...p, value: NaN } : p));
    const d = diagnoseOverfitting(tensorBoardCurve(scalars, "Loss/train"), val);
    expect(d.verdict).toBe("overfitting");
    expect(d.onsetStep).toBeGreaterThanOrEqual(70);
    expect(d.onsetStep).toBeLessThanOrEqual(110);
    expect(d.summary).toContain("Note: val loss was NaN at 1 of 40 evaluations (first at step 149) and finite again after: left out.");
  });
});

describe("early stopping at the run's own evaluation spacing (TensorBoard Loss/train, Loss/val)", () => {
  const scalars = tensorBoardScalars({ steps: 3000, evalEvery: 375, train: (s) => 0.1 + 2 * Math.exp(-s / 500), val: (s) => 0.5 + 1.5 * Math.exp(-s / 300) + 0.0003 * Math.max(0, s - 1100) });
  const train = tensorBoardCurve(scalars, "Loss/train");
  const val = tensorBoardCurve(scalars, "Loss/val");

  it("patience counts evaluations 375 steps apart; a patience the run had no evaluations for is left out", () => {
    expect(val.map((p) => p.step)).toEqual([374, 749, 1124, 1499, 1874, 2249, 2624, 2999]);
    const d = diagnoseOverfitting(train, val, { config: { early_stopping_patience: null } });
    expect(d.verdict).toBe("overfitting");
    expect(d.earlyStoppingTable.map((w) => w.patience)).toEqual([1, 2, 3, 5]);
    for (const w of d.earlyStoppingTable.filter((x) => x.stopped)) {
      expect(w.evaluationSpacingSteps).toBe(375);
      expect(w.stopStep! - w.bestStepAtStop!).toBe(375 * w.patience);
      expect(w.stepsSaved).toBe(2999 - w.stopStep!);
      expect(w.wallSecondsSaved).toBeCloseTo(0.35 * w.stepsSaved, 6);
    }
    const es = d.advice.find((a) => a.id === "early_stopping")!;
    expect(es.message).toMatch(/after \d evaluations? without improvement \([\d,]+ steps at this run's evaluation every 375\)/);
  });
});
