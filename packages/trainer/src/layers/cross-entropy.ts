// Masked softmax cross-entropy with the closed-form gradient (softmax - onehot)·w/Σw.
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op";
import { kernelRoutes } from "./kernel-routes";
import { defineGradient, defineKernel, privateBuffer, run, wasmKernelsReady } from "./wasm-kernels";

/** Σ w_i·(logsumexp(z_i) - z_i[y_i]) / max(Σ w, 1) for logits z [n, v], targets y [n], weights w [n]. */
export function maskedCrossEntropy(logits: tf.Tensor2D, targets: Int32Array, weights: Float32Array): tf.Scalar {
  return kernelRoutes().wasmCrossEntropy && wasmKernelsReady() ? crossEntropyWasm(logits, targets, weights) : crossEntropyOps(logits, targets, weights);
}

// FtCrossEntropy: inputs logits [n, v], targets (int32 [n]), weights [n], grad (a private [n, v]
// buffer); attr denom -> loss. The gradient is written into grad in the same pass over the logits;
// backward only scales it by dy.
defineKernel("FtCrossEntropy", (k, { logits, targets, weights, grad }, attrs) => {
  const [n, v] = logits.shape;
  const denom = attrs.denom as number;
  const loss = k.out([]);
  const rows = k.scratch(n * 8);
  k.fn.crossEntropy(k.ptr(logits), k.ptr(targets), k.ptr(weights), k.ptr(grad), rows, n, v, denom);
  const r = k.f32(rows, 2 * n);
  const w = k.f32(k.ptr(weights), n);
  let total = 0;
  for (let i = 0; i < n; i++) if (w[i] !== 0) total += w[i] * (Math.log(r[2 * i]) - r[2 * i + 1]);
  k.f32(k.ptr(loss), 1)[0] = total / denom;
  return loss;
});

defineGradient("FtCrossEntropy", ["grad"], [false], ([dy], [grad]) => ({ logits: () => tf.mul(grad, dy) }));

/** One SIMD pass over the logits computes the loss and keeps its gradient, instead of the
 *  log-softmax, one-hot and reduction kernels (and their [n, v] temporaries) of crossEntropyOps. */
function crossEntropyWasm(logits: tf.Tensor2D, targets: Int32Array, weights: Float32Array): tf.Scalar {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  const inputs = { logits, targets: tf.tensor1d(targets, "int32"), weights: tf.tensor1d(weights), grad: privateBuffer(logits.shape) };
  return run<tf.Scalar>("FtCrossEntropy", inputs, { denom: Math.max(total, 1) });
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
