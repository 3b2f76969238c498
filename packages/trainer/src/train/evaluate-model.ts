import * as tf from "@tensorflow/tfjs-core";
import type { EvalResult, Example, LoadedModel } from "../types";
import { collateBatch } from "./collate-batch";
import { batchLogits } from "./batch-loss";
import type { ForwardContext } from "../models/forward";

/** Masked loss, perplexity (exp of the loss) and token accuracy (LM) or accuracy (MLP) over
 *  `examples`, summed over tokens across batches so batch size does not change the result. */
export function evaluateModel(model: LoadedModel, examples: Example[], batchSize = 32, frozenT?: ForwardContext["frozenT"]): EvalResult {
  if (examples.length === 0) return { loss: NaN, perplexity: NaN, accuracy: NaN, tokens: 0 };
  const ctx: ForwardContext = { training: false, dropout: 0, seed: 0, trainable: new Set(), frozenT };
  let nll = 0;
  let correct = 0;
  let count = 0;
  for (let i = 0; i < examples.length; i += batchSize) {
    const batch = collateBatch(model, examples.slice(i, i + batchSize));
    const targets = batch.kind === "lm" ? batch.targets : batch.labels;
    const weights = batch.kind === "lm" ? batch.weights : new Float32Array(batch.b).fill(1);
    const [lp, am] = tf.tidy(() => {
      const logits = batchLogits(model, batch, ctx);
      const logp = tf.logSoftmax(logits);
      const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.tensor1d(targets, "int32"), logits.shape[1])), -1);
      return [picked.dataSync() as Float32Array, tf.argMax(logits, -1).dataSync() as Int32Array];
    });
    for (let j = 0; j < targets.length; j++) {
      const w = weights[j];
      if (w === 0) continue;
      nll -= w * lp[j];
      correct += w * (am[j] === targets[j] ? 1 : 0);
      count += w;
    }
  }
  const loss = count > 0 ? nll / count : NaN;
  return { loss, perplexity: Math.exp(loss), accuracy: count > 0 ? correct / count : NaN, tokens: count };
}
