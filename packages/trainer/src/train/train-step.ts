// One optimizer step: loss (+ penalties), gradients of the trainable variables, global-norm
// clipping, update. Shared by the training loop and the throughput benchmark. With the
// dataParallel route on, the gradients of the default loss come from data-parallel.ts (the batch
// split over threads); clipping and the update run here either way, once.
import * as tf from "@tensorflow/tfjs-core";
import type { Batch } from "./collate-batch";
import { batchLoss } from "./batch-loss";
import { batchGradients, type LossFn } from "./batch-gradients";
import { dataParallelGradients } from "./data-parallel";
import { clipGrads } from "../optim/clip-grads";
import type { Optimizer } from "../optim/create-optimizer";
import type { ForwardContext } from "../models/forward";
import type { LoadedModel } from "../types";

export interface StepSettings {
  l1: number;
  l2: number;
  max_grad_norm: number;
}

/** Returns the data loss (without penalties) and the pre-clipping gradient norm. A non-finite
 *  loss skips the update. */
export function trainStep(
  model: LoadedModel,
  params: { name: string; variable: tf.Variable }[],
  optimizer: Optimizer,
  batch: Batch,
  ctx: ForwardContext,
  s: StepSettings,
  lr: number,
  lossFn: LossFn = batchLoss,
): { loss: number; gradNorm: number } {
  const varList = params.map((p) => p.variable);
  const penalties = { l1: s.l1, l2: s.l2 };
  return tf.tidy(() => {
    const { loss, grads } =
      (lossFn === batchLoss ? dataParallelGradients(model, params, batch, ctx, penalties) : null) ??
      batchGradients(model, varList, batch, ctx, penalties, 1, lossFn);
    const arrays: Record<string, Float32Array> = {};
    varList.forEach((v, i) => {
      const g = grads[i];
      if (g) arrays[v.name] = g;
    });
    const { norm: gradNorm, scale } = clipGrads(Object.values(arrays), s.max_grad_norm);
    if (Number.isFinite(loss)) optimizer.step(params, arrays, lr, scale);
    return { loss, gradNorm };
  });
}
