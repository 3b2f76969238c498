// Plain tf-autodiff versions of the fused layers, selected by ForwardContext.reference. They exist
// so the throughput benchmark can measure the custom-gradient layers against tf's own gradients
// in the same run (tf's MatMul gradient uses transposed matMuls, slow on wasm).
import * as tf from "@tensorflow/tfjs-core";
import { causalMask } from "./attention-core";

export function denseRef(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D | null): tf.Tensor2D {
  const y = tf.matMul(x, w) as tf.Tensor2D;
  return b ? (tf.add(y, b) as tf.Tensor2D) : y;
}

export function attentionRef(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D): tf.Tensor3D {
  const [, t, d] = q.shape;
  const s = tf.add(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(d)), causalMask(t));
  return tf.matMul(tf.softmax(s), v);
}

export function layerNormRef(x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
}

export function geluRef(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))));
}
