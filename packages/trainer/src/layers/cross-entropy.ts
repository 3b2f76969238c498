// Masked softmax cross-entropy with the closed-form gradient (softmax - onehot)·w/Σw.
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op";
import { kernelRoutes } from "./kernel-routes";

/** Σ w_i·(logsumexp(z_i) - z_i[y_i]) / max(Σ w, 1) for logits z [n, v], targets y [n], weights w [n]. */
export function maskedCrossEntropy(logits: tf.Tensor2D, targets: Int32Array, weights: Float32Array): tf.Scalar {
  return kernelRoutes().fusedCrossEntropy ? crossEntropyFused(logits, targets, weights) : crossEntropyOps(logits, targets, weights);
}

/** One pass over the logits computes the loss and keeps its gradient, instead of the log-softmax,
 *  one-hot and reduction kernels (and their [n, v] temporaries) of crossEntropyOps. */
function crossEntropyFused(logits: tf.Tensor2D, targets: Int32Array, weights: Float32Array): tf.Scalar {
  const [n, v] = logits.shape;
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  const denom = Math.max(total, 1);
  return customOp<tf.Scalar>(([zt]) => {
    const z = zt.dataSync() as Float32Array;
    const grad = new Float32Array(n * v);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const row = i * v;
      let max = -Infinity;
      for (let j = 0; j < v; j++) if (z[row + j] > max) max = z[row + j];
      let sum = 0;
      for (let j = 0; j < v; j++) sum += Math.exp(z[row + j] - max);
      const lse = max + Math.log(sum);
      const y = targets[i];
      const hit = y >= 0 && y < v;
      const w = weights[i];
      // An out-of-range target has an all-zero one-hot row (tf.oneHot): no loss, as crossEntropyOps.
      if (hit) loss += w * (lse - z[row + y]);
      const scale = w / denom;
      for (let j = 0; j < v; j++) grad[row + j] = Math.exp(z[row + j] - lse) * scale;
      if (hit) grad[row + y] -= scale;
    }
    return {
      value: tf.scalar(loss / denom),
      gradFunc: (dy: tf.Tensor) => tf.mul(tf.tensor2d(grad, [n, v]), dy),
    };
  }, logits);
}

function crossEntropyOps(logits: tf.Tensor2D, targets: Int32Array, weights: Float32Array): tf.Scalar {
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
