// The training loop shared by fine-tuning and pretraining: shuffled mini-batches, scheduled LR,
// clipping, penalties, periodic evaluation, early stopping with restore-best.
import * as tf from "@tensorflow/tfjs-core";
import type { EvalMetrics, Example, HyperParams, LoadedModel, StepMetrics, StopReason } from "../types";
import { collateBatch, type Batch } from "./collate-batch";
import { evaluateModel } from "./evaluate-model";
import { trainableVariables } from "../peft/apply-method";
import { createOptimizer } from "../optim/create-optimizer";
import { learningRateAt } from "../optim/learning-rate-at";
import { trainStep } from "./train-step";
import { createRng, shuffledIndices } from "../models/rng";
import type { ForwardContext } from "../models/forward";

export interface TrainingRun {
  model: LoadedModel;
  train: Example[];
  validation: Example[];
  hyper: HyperParams;
  onEval?(m: EvalMetrics): void;
  onStep?(m: StepMetrics): void;
  signal?: AbortSignal;
  /** Replaces the data loss (default batchLoss), e.g. a distillation loss against a teacher. */
  loss?(model: LoadedModel, batch: Batch, ctx: ForwardContext): tf.Scalar;
}

export interface TrainingOutcome {
  bestValLoss: number;
  bestStep: number;
  finalTrainLoss: number;
  stopReason: StopReason;
  steps: number;
  history: EvalMetrics[];
  wallTimeMs: number;
  /** Train loss of every optimizer step. */
  losses: number[];
}

export async function trainLoop(run: TrainingRun): Promise<TrainingOutcome> {
  const { model, train, validation, hyper: h } = run;
  if (train.length === 0) throw new Error("train: no examples to train on");
  const started = performance.now();
  const params = trainableVariables(model);
  const optimizer = createOptimizer(h);
  const bs = h.per_device_train_batch_size;
  const stepsPerEpoch = Math.ceil(train.length / bs);
  const total = h.max_steps > 0 ? h.max_steps : Math.max(1, Math.round(stepsPerEpoch * h.num_train_epochs));
  const evalEvery = h.eval_steps > 0 ? h.eval_steps : stepsPerEpoch;
  const rng = createRng(h.seed);
  const frozenT = new Map<string, tf.Tensor2D>();
  const ctx: ForwardContext = { training: true, dropout: h.dropout, seed: h.seed, trainable: new Set(params.map((p) => p.name)), frozenT };

  const history: EvalMetrics[] = [];
  const losses: number[] = [];
  let best = Infinity;
  let bestStep = 0;
  let bestSnapshot: Map<string, tf.Tensor> | null = null;
  let badEvals = 0;
  let stopReason: StopReason = h.max_steps > 0 ? "max_steps" : "completed";
  let step = 0;
  let windowLoss = 0;
  let windowSteps = 0;
  let lastTrainLoss = NaN;
  let windowTokens = 0;
  let windowStart = performance.now();
  let gradNorm = 0;

  const evaluate = (epoch: number, lr: number): boolean => {
    const trainLoss = windowSteps > 0 ? windowLoss / windowSteps : lastTrainLoss;
    lastTrainLoss = trainLoss;
    const elapsed = (performance.now() - windowStart) / 1000;
    const tokensPerSec = elapsed > 0 ? windowTokens / elapsed : 0;
    const ev = validation.length > 0 ? evaluateModel(model, validation, h.per_device_eval_batch_size, frozenT) : null;
    const m: EvalMetrics = {
      step,
      epoch,
      "train/loss": trainLoss,
      "val/loss": ev?.loss ?? NaN,
      "val/perplexity": ev?.perplexity ?? NaN,
      "val/accuracy": ev?.accuracy ?? NaN,
      lr,
      grad_norm: gradNorm,
      tokens_per_sec: tokensPerSec,
    };
    history.push(m);
    run.onEval?.(m);
    windowLoss = 0;
    windowSteps = 0;
    windowTokens = 0;
    windowStart = performance.now();
    if (!ev) return false;
    if (ev.loss < best - h.early_stopping_min_delta) {
      best = ev.loss;
      bestStep = step;
      badEvals = 0;
      if (h.restore_best) {
        bestSnapshot?.forEach((t) => t.dispose());
        bestSnapshot = new Map(params.map((p) => [p.name, tf.keep(tf.clone(p.variable))]));
      }
    } else {
      badEvals += 1;
    }
    return h.early_stopping_patience !== undefined && badEvals >= h.early_stopping_patience;
  };

  try {
    let stop = false;
    for (let epoch = 0; !stop && step < total; epoch++) {
      const order = shuffledIndices(rng, train.length);
      for (let i = 0; i < order.length && step < total; i += bs) {
        if (run.signal?.aborted) {
          stopReason = "aborted";
          stop = true;
          break;
        }
        let examples = order.slice(i, i + bs).map((j) => train[j]);
        if (h.augment) examples = h.augment(examples, rng);
        const stepStart = performance.now();
        const batch = collateBatch(model, examples);
        const lr = learningRateAt(step, total, h.learning_rate, h.lr_scheduler_type, h.warmup_ratio);
        ctx.seed = h.seed * 100003 + step;
        const { loss: lossValue, gradNorm: normValue } = trainStep(model, params, optimizer, batch, ctx, h, lr, run.loss);
        if (!Number.isFinite(lossValue)) {
          stopReason = "non_finite_loss";
          stop = true;
          break;
        }
        step += 1;
        gradNorm = normValue;
        losses.push(lossValue);
        windowLoss += lossValue;
        windowSteps += 1;
        windowTokens += batch.tokens;
        const epochFloat = step / stepsPerEpoch;
        run.onStep?.({ step, epoch: epochFloat, loss: lossValue, lr, grad_norm: normValue, tokens_per_sec: batch.tokens / Math.max(1e-9, (performance.now() - stepStart) / 1000), total_steps: total });
        if (step % evalEvery === 0 || step === total) {
          if (evaluate(epochFloat, lr)) {
            stopReason = "early_stopping";
            stop = true;
            break;
          }
        }
        // Yield so an AbortSignal or progress UI can run between steps.
        if (step % 8 === 0) await new Promise((r) => setImmediate(r));
      }
    }
    if (windowSteps > 0 && stopReason !== "early_stopping") evaluate(step / stepsPerEpoch, learningRateAt(Math.max(0, step - 1), total, h.learning_rate, h.lr_scheduler_type, h.warmup_ratio));
    const snapshot = bestSnapshot as Map<string, tf.Tensor> | null;
    if (snapshot && h.restore_best) for (const p of params) p.variable.assign(snapshot.get(p.name)!);
  } finally {
    (bestSnapshot as Map<string, tf.Tensor> | null)?.forEach((t) => t.dispose());
    frozenT.forEach((t) => t.dispose());
    optimizer.dispose();
  }
  return {
    bestValLoss: best,
    bestStep,
    finalTrainLoss: lastTrainLoss,
    stopReason,
    steps: step,
    history,
    wallTimeMs: performance.now() - started,
    losses,
  };
}
