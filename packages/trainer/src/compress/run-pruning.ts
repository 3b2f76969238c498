// Pruning after fine-tuning: one-shot (prune to the target, then recovery fine-tuning with the mask
// held) or gradual (masks recomputed on Zhu & Gupta's cubic schedule while training continues).
import * as tf from "@tensorflow/tfjs-core";
import type { Example, HyperParams, LoadedModel } from "../types";
import { resolveHyper } from "../train/resolve-hyper";
import { trainLoop } from "../train/train-loop";
import { evaluateModel } from "../train/evaluate-model";
import { denseBytes, toDenseModel } from "./dense-model";
import { computeMasks, maskSparsity, type Masks, type PruneGranularity } from "./prune-masks";
import { checkSchedule, cubicSparsity, isPruningStep, type PruningSchedule } from "./sparsity-schedule";
import type { CompressionOutcome } from "./compression-outcome";
import { compressedBytes } from "./compressed-checkpoint";

export interface PruningOptions {
  granularity: PruneGranularity;
  /** one_shot uses `sparsity`; gradual uses `schedule` (its final_sparsity is the target). */
  mode: "one_shot" | "gradual";
  sparsity?: number;
  schedule?: PruningSchedule;
  /** Fine-tuning steps after the target sparsity is reached (masks held). */
  recovery_steps: number;
  train: Example[];
  validation: Example[];
  hyper: Partial<HyperParams>;
}

/** Sets every masked variable to variable·mask. */
export function applyMasks(model: LoadedModel, masks: Masks): void {
  for (const [name, m] of masks) {
    const v = model.weights.get(name)!;
    tf.tidy(() => v.assign(tf.mul(v, tf.tensor(m, v.shape, "float32"))));
  }
}

export async function runPruning(fineTuned: LoadedModel, o: PruningOptions): Promise<CompressionOutcome> {
  const target = o.mode === "gradual" ? o.schedule?.final_sparsity : o.sparsity;
  if (o.mode === "gradual") {
    if (!o.schedule) throw new Error("prune.schedule: gradual pruning needs { final_sparsity, end_step, ... }");
    checkSchedule(o.schedule);
  } else if (o.mode !== "one_shot") {
    throw new Error(`prune.mode: expected 'one_shot' or 'gradual', got ${JSON.stringify(o.mode)}`);
  }
  if (target === undefined) throw new Error("prune.sparsity: one-shot pruning needs a target sparsity in [0, 1)");
  const model = toDenseModel(fineTuned);
  const bytesBefore = denseBytes(model);
  const evalBs = resolveHyper(o.hyper).per_device_eval_batch_size;
  const before = evaluateModel(model, o.validation, evalBs);
  const history: CompressionOutcome["history"] = [];
  let masks: Masks = new Map();
  let unitSparsity = 0;
  const prune = (s: number) => {
    masks = computeMasks(model, o.granularity, s);
    unitSparsity = s;
    applyMasks(model, masks);
  };
  const point = (step: number, extra: Record<string, number>) =>
    history.push({ step, values: { sparsity: maskSparsity(masks), target_sparsity: unitSparsity, ...extra } });

  let trainSteps = o.recovery_steps;
  const summary: Record<string, number | string> = {};
  if (o.mode === "one_shot") {
    prune(target);
    const pruned = evaluateModel(model, o.validation, evalBs);
    summary.val_loss_pruned_before_recovery = pruned.loss;
    summary.val_accuracy_pruned_before_recovery = pruned.accuracy;
    point(0, { "val/loss": pruned.loss, "val/accuracy": pruned.accuracy });
  } else {
    trainSteps += o.schedule!.end_step;
    if (o.schedule!.begin_step === 0) prune(cubicSparsity(0, o.schedule!));
    point(0, { "val/loss": before.loss, "val/accuracy": before.accuracy });
  }
  if (trainSteps > 0) {
    const hyper = resolveHyper({ eval_steps: o.schedule?.frequency ?? Math.max(1, Math.floor(trainSteps / 10)), ...o.hyper, max_steps: trainSteps, restore_best: false });
    const out = await trainLoop({
      model,
      train: o.train,
      validation: o.validation,
      hyper,
      // After each optimizer step: hold the mask, or recompute it on a pruning step of the schedule.
      onStep: (m) => {
        if (o.mode === "gradual" && isPruningStep(m.step, o.schedule!)) prune(cubicSparsity(m.step, o.schedule!));
        else if (masks.size) applyMasks(model, masks);
      },
      onEval: (m) => point(m.step, { "val/loss": m["val/loss"], "val/accuracy": m["val/accuracy"], "train/loss": m["train/loss"] }),
    });
    summary.recovery_steps = o.recovery_steps;
    summary.train_steps = out.steps;
  }
  // The schedule may end after training stopped early (or begin later than it ran): finish at the target.
  if (unitSparsity !== target) prune(target);
  const after = evaluateModel(model, o.validation, evalBs);
  summary.sparsity = maskSparsity(masks);
  if (o.granularity !== "unstructured") {
    // Removed neurons / heads can be cut out of the matrices: dense, smaller, and no mask to store.
    let removed = 0;
    for (const m of masks.values()) for (const v of m) removed += 1 - v;
    summary.compact_bytes = denseBytes(model) - removed * 4;
  }
  summary.target_sparsity = target;
  return {
    technique: "prune",
    label: `${o.granularity}-${o.mode}-s${target}`,
    config: { granularity: o.granularity, mode: o.mode, sparsity: target, schedule: o.schedule ?? null, recovery_steps: o.recovery_steps, hyper: o.hyper },
    model,
    packed: new Map(),
    masks,
    bytesBefore,
    bytes: compressedBytes(model, new Map(), masks),
    before,
    after,
    layers: [],
    history,
    summary,
  };
}
