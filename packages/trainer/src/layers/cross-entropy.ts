// Masked softmax cross-entropy with the closed-form gradient (softmax - onehot)·w/Σw.
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op";

/** Σ w_i·(logsumexp(z_i) - z_i[y_i]) / max(Σ w, 1) for logits z [n, v], targets y [n], weights w [n]. */
export function maskedCrossEntropy(logits: tf.Tensor2D, targets: Int32Array, weights: Float32Array): tf.Scalar {
  const [n, v] = logits.shape;
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  const denom = Math.max(total, 1);
  const onehot = tf.oneHot(tf.tensor1d(targets, "int32"), v);
  const w = tf.tensor2d(weights, [n, 1]);
  return customOp<tf.Scalar>(([z], save) => {
    const logp = tf.logSoftmax(z);
    // Everything the backward pass reads must be saved: the forward scope is disposed before it runs.
    save([logp, onehot, w]);
    const nll = tf.neg(tf.sum(tf.mul(logp, onehot), -1, true));
    return {
      value: tf.div(tf.sum(tf.mul(nll, w)), denom) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, [lp, oh, ws]: tf.Tensor[]) => tf.mul(tf.mul(tf.sub(tf.exp(lp), oh), tf.div(ws, denom)), dy),
    };
  }, logits);
}
