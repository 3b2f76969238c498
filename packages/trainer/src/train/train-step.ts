// One optimizer step: loss (+ penalties), gradients of the trainable variables, global-norm
// clipping, update. Shared by the training loop and the throughput benchmark.
import * as tf from "@tensorflow/tfjs-core";
import type { Batch } from "./collate-batch";
import { batchLoss } from "./batch-loss";
import { clipGrads } from "../optim/clip-grads";
import type { Optimizer } from "../optim/create-optimizer";
import type { ForwardContext } from "../models/forward";
import type { LoadedModel } from "../types";

/** L1/L2 penalty over trainable matrices (biases and norms are left alone, like weight decay). */
function penalty(params: tf.Variable[], l1: number, l2: number): tf.Scalar | null {
  const mats = params.filter((p) => p.rank >= 2);
  if (mats.length === 0 || (l1 === 0 && l2 === 0)) return null;
  const terms: tf.Tensor[] = [];
  for (const p of mats) {
    if (l1 > 0) terms.push(tf.mul(tf.sum(tf.abs(p)), l1));
    if (l2 > 0) terms.push(tf.mul(tf.sum(tf.square(p)), l2));
  }
  return tf.addN(terms) as tf.Scalar;
}

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
  lossFn: (model: LoadedModel, batch: Batch, ctx: ForwardContext) => tf.Scalar = batchLoss,
): { loss: number; gradNorm: number } {
  const varList = params.map((p) => p.variable);
  return tf.tidy(() => {
    let dataLoss: tf.Scalar | null = null;
    const { grads } = tf.variableGrads(() => {
      dataLoss = tf.keep(lossFn(model, batch, ctx));
      const pen = penalty(varList, s.l1, s.l2);
      return pen ? tf.add(dataLoss, pen) : dataLoss;
    }, varList);
    const kept = dataLoss as unknown as tf.Scalar;
    const loss = kept.dataSync()[0];
    kept.dispose(); // kept out of the gradient scope to read it; tidy will not free it
    const arrays: Record<string, Float32Array> = {};
    for (const v of varList) if (grads[v.name]) arrays[v.name] = grads[v.name].dataSync() as Float32Array;
    const { norm: gradNorm, scale } = clipGrads(Object.values(arrays), s.max_grad_norm);
    if (Number.isFinite(loss)) optimizer.step(params, arrays, lr, scale);
    return { loss, gradNorm };
  });
}
