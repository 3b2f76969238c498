// Loss and gradients of one batch (or one shard of it) under the custom-gradient layers: the part
// of the optimizer step that data parallelism splits across threads. The caller runs it in a tidy.
import * as tf from "@tensorflow/tfjs-core";
import type { Batch } from "./collate-batch";
import { batchLoss } from "./batch-loss";
import type { ForwardContext } from "../models/forward";
import type { LoadedModel } from "../types";

export type LossFn = (model: LoadedModel, batch: Batch, ctx: ForwardContext) => tf.Scalar;

export interface Penalties {
  l1: number;
  l2: number;
}

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

/** Gradients of `scale`·loss (+ the penalties, unscaled, when given) with respect to `vars`, in
 *  their order (undefined where a variable gets none), and the scaled data loss without penalties.
 *  A shard's scale is its share of the full batch's loss, so the shards' gradients sum to the
 *  full batch's. */
export function batchGradients(
  model: LoadedModel,
  vars: tf.Variable[],
  batch: Batch,
  ctx: ForwardContext,
  penalties: Penalties | null,
  scale = 1,
  lossFn: LossFn = batchLoss,
): { loss: number; grads: (Float32Array | undefined)[] } {
  const held: { loss?: tf.Scalar } = {};
  const { grads } = tf.variableGrads(() => {
    const raw = lossFn(model, batch, ctx);
    const dataLoss = tf.keep(scale === 1 ? raw : tf.mul<tf.Scalar>(raw, scale));
    held.loss = dataLoss;
    const pen = penalties ? penalty(vars, penalties.l1, penalties.l2) : null;
    return pen ? tf.add<tf.Scalar>(dataLoss, pen) : dataLoss;
  }, vars);
  const kept = held.loss!;
  const loss = kept.dataSync()[0];
  kept.dispose(); // kept out of the gradient scope to read it; tidy will not free it
  return { loss, grads: vars.map((v) => grads[v.name]?.dataSync() as Float32Array | undefined) };
}
