import * as tf from "@tensorflow/tfjs-core";
import type { LoadedModel } from "../types";
import type { Batch } from "./collate-batch";
import { forwardLm, forwardMlp, type ForwardContext } from "../models/forward";
import { maskedCrossEntropy } from "../layers/cross-entropy";

/** Logits of a batch: [b·t, vocab] for LM batches, [b, classes] for classifier batches. */
export function batchLogits(model: LoadedModel, batch: Batch, ctx: ForwardContext): tf.Tensor2D {
  return batch.kind === "lm"
    ? forwardLm(model, batch.ids, batch.b, batch.t, ctx)
    : forwardMlp(model, tf.tensor2d(batch.features, [batch.b, batch.inputDim]), ctx);
}

/** Mean cross-entropy over the positions that count (response tokens; every classifier row). */
export function batchLoss(model: LoadedModel, batch: Batch, ctx: ForwardContext): tf.Scalar {
  const logits = batchLogits(model, batch, ctx);
  if (batch.kind === "lm") return maskedCrossEntropy(logits, batch.targets, batch.weights);
  return maskedCrossEntropy(logits, batch.labels, new Float32Array(batch.b).fill(1));
}
