import { createTestDb } from "@finetrack/db/testing";
import type { Db } from "@finetrack/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logMetrics } from "../metric/log-metrics";
import { createProject } from "../project/create-project";
import { createRun } from "../run/create-run";
import { finishRun } from "../run/finish-run";
import { diagnoseRun } from "./diagnose-run";
import { pickLossKeys } from "./pick-loss-keys";
import { pickTaskMetric } from "./pick-task-metric";

describe("pickLossKeys", () => {
  const many = (keys: string[], n = 50) => Object.fromEntries(keys.map((k) => [k, n]));

  it.each([
    [["train/loss", "train/grad_norm", "train/learning_rate", "eval/loss", "eval/wer", "eval/runtime"], "train/loss", "eval/loss"],
    [["loss", "eval_loss", "learning_rate"], "loss", "eval_loss"],
    [["Loss/train", "Loss/val", "Accuracy/val"], "Loss/train", "Loss/val"],
    [["train_loss", "val_loss"], "train_loss", "val_loss"],
    [["train/loss", "validation/loss"], "train/loss", "validation/loss"],
    [["train/epoch_loss", "validation/epoch_loss", "train/epoch_accuracy"], "train/epoch_loss", "validation/epoch_loss"],
    [["train/loss_epoch", "val/loss_epoch", "epoch"], "train/loss_epoch", "val/loss_epoch"],
  ])("recognises %j", (keys, train, val) => {
    expect(pickLossKeys(keys, many(keys))).toMatchObject({ trainKey: train, valKey: val });
  });

  it("takes Lightning's per-step curve over its per-epoch one, and never a one-point aggregate", () => {
    const counts = { train_loss_step: 3000, train_loss_epoch: 10, val_loss: 10 };
    expect(pickLossKeys(Object.keys(counts), counts).trainKey).toBe("train_loss_step");
    const hf = { "train/train_loss": 1, "train/loss": 160, "eval/loss": 8 };
    expect(pickLossKeys(Object.keys(hf), hf).trainKey).toBe("train/loss");
    const onlyAggregate = { "train/train_loss": 1, "eval/loss": 8 };
    expect(pickLossKeys(Object.keys(onlyAggregate), onlyAggregate)).toEqual({ trainKey: null, valKey: "eval/loss", onePoint: ["train/train_loss"] });
  });

  it("leaves summary-like names out even when they hold many points", () => {
    const keys = ["train/loss", "val/best_loss", "best_val_loss", "val_loss_min", "eval/final_loss", "hparam/val_loss", "val/loss"];
    expect(pickLossKeys(keys, many(keys))).toMatchObject({ trainKey: "train/loss", valKey: "val/loss" });
    expect(pickLossKeys(["train/loss", "val/best_loss"], many(["train/loss", "val/best_loss"])).valKey).toBeNull();
  });

  it("leaves fp16 loss scales and validation keys out of the training loss", () => {
    const keys = ["train/loss_scale", "train/val_loss"];
    expect(pickLossKeys(keys, many(keys)).trainKey).toBeNull();
  });
});

describe("pickTaskMetric", () => {
  const stat = (min: number, max: number, count = 8) => ({ count, first: max, firstStep: 0, last: min, lastStep: 1, min, minStep: 1, max, maxStep: 0 });

  it("reads metric_for_best_model in HF's spellings; WER is lower-is-better even where the summary guessed otherwise", () => {
    const stats = { "eval/loss": stat(0.3, 0.7), "eval/wer": stat(35.1, 52.7) };
    // what the importer writes when no training_args.json says the direction (HF's own default)
    expect(pickTaskMetric(stats, { metric_for_best_model: "eval_wer", greater_is_better: true, best_metric: 35.1 }, {})).toEqual({ key: "eval/wer", greaterIsBetter: false, selectsCheckpoint: true });
    expect(pickTaskMetric(stats, {}, { metric_for_best_model: "wer" })).toMatchObject({ key: "eval/wer", selectsCheckpoint: true });
  });

  it("an unknown metric's direction comes from greater_is_better, else from where best_metric sits", () => {
    const stats = { "eval/loss": stat(0.3, 0.7), "eval/my_score": stat(2, 9) };
    expect(pickTaskMetric(stats, { metric_for_best_model: "eval_my_score", greater_is_better: false }, {})).toMatchObject({ greaterIsBetter: false });
    expect(pickTaskMetric(stats, { metric_for_best_model: "eval_my_score", best_metric: 2 }, {})).toMatchObject({ greaterIsBetter: false });
    expect(pickTaskMetric(stats, { metric_for_best_model: "eval_my_score", best_metric: 9 }, {})).toMatchObject({ greaterIsBetter: true });
  });

  it("finds F1 or accuracy beside the eval loss when nothing (or a loss) is named", () => {
    const stats = { "eval/loss": stat(0.3, 0.7), "eval/accuracy": stat(0.8, 0.9), "eval/f1": stat(0.7, 0.88), "train/accuracy": stat(0.1, 0.99, 300) };
    expect(pickTaskMetric(stats, {}, {})).toEqual({ key: "eval/f1", greaterIsBetter: true, selectsCheckpoint: false });
    expect(pickTaskMetric(stats, { metric_for_best_model: "eval_loss" }, {})).toEqual({ key: "eval/f1", greaterIsBetter: true, selectsCheckpoint: false });
    expect(pickTaskMetric({ "eval/loss": stat(0.3, 0.7) }, { metric_for_best_model: "eval_loss" }, {})).toBeNull();
    expect(pickTaskMetric({ "eval/loss": stat(0.3, 0.7), "eval/f1": stat(0.8, 0.8, 1) }, {}, {})).toBeNull();
  });

  it("a summary or config that names 'constructor' reads no prototype", () => {
    expect(pickTaskMetric({ "eval/loss": stat(0.3, 0.7) }, JSON.parse('{"__proto__": {"metric_for_best_model": "wer"}}'), {})).toBeNull();
    expect(pickTaskMetric({ "eval/constructor": stat(1, 2) }, { metric_for_best_model: "constructor" }, {})).toMatchObject({ key: "eval/constructor" });
  });
});

describe("diagnoseRun on runs shaped like the importer's and the HF callback's", () => {
  let db: Db;
  beforeAll(async () => {
    db = await createTestDb();
    await createProject(db, { slug: "hf", name: "HF" });
    // Whisper fine-tune: loss every 25 steps, eval every 500 (8 evaluations), eval loss rising after 1000, WER falling throughout.
    await createRun(db, { project: "hf", id: "whisper", name: "whisper-small-hi", config: { learning_rate: 1e-5, max_steps: 4000, metric_for_best_model: "wer", greater_is_better: false } });
    const points = [];
    for (let step = 25; step <= 4000; step += 25) points.push({ key: "train/loss", step, value: 0.12 + 1.5 * Math.exp(-step / 600), epoch: Math.round((step / 440) * 100) / 100 });
    for (let step = 500; step <= 4000; step += 500) {
      points.push({ key: "eval/loss", step, value: 0.3 + 0.012 * ((step - 1000) / 500) ** 2 });
      points.push({ key: "eval/wer", step, value: 35 + 40 * Math.exp(-step / 1200) });
      points.push({ key: "eval/runtime", step, value: 613 });
    }
    await logMetrics(db, { runId: "whisper", points });
    await finishRun(db, { id: "whisper", summary: { train_loss: 0.19, metric_for_best_model: "eval_wer", greater_is_better: false, best_metric: 35 + 40 * Math.exp(-4000 / 1200) } });
    await createRun(db, { project: "hf", id: "aggregate-only", name: "eval only" });
    await logMetrics(db, { runId: "aggregate-only", points: [{ key: "train/train_loss", step: 4000, value: 0.2 }, ...[1, 2, 3, 4, 5].map((e) => ({ key: "eval/loss", step: e * 100, value: 1 / e }))] });
  });
  afterAll(() => db?.close());

  it("reads eval loss and WER together: the loss overfits, the metric still improves", async () => {
    const r = await diagnoseRun(db, { runId: "whisper" });
    expect(r).toMatchObject({ trainKey: "train/loss", valKey: "eval/loss", metricKey: "eval/wer", reason: null });
    expect(r.diagnosis?.verdict).toBe("metric_still_improving");
    expect(r.diagnosis?.metric).toMatchObject({ name: "eval/wer", greaterIsBetter: false, selectsCheckpoint: true, best: { step: 4000 } });
    expect(r.diagnosis?.earlyStopping).toMatchObject({ monitor: "eval/wer", evaluationSpacingSteps: 500 });
    expect(r.diagnosis?.sparse).toBe(true);
  });

  it("names the one-point aggregate it would not take for a training curve", async () => {
    const r = await diagnoseRun(db, { runId: "aggregate-only" });
    expect(r.diagnosis).toBeNull();
    expect(r.reason).toBe("No diagnosis: the run has not logged a training loss curve (e.g. train/loss); train/train_loss holds one point, an end-of-training value, not a curve.");
  });
});
