// Σ over the rows of an [n, d] gradient (bias, LayerNorm gain/shift gradients). tfjs-wasm reduces
// axis 0 by transposing first and then summing; a [1, n]·[n, d] matMul reaches XNNPACK instead.
import * as tf from "@tensorflow/tfjs-core";
import { kernelRoutes } from "./kernel-routes";

/** [n, d] -> [d]: the column sums. */
export function columnSums(x: tf.Tensor): tf.Tensor1D {
  if (!kernelRoutes().columnSumsAsMatMul || x.rank !== 2) return tf.sum(x, 0);
  const [n, d] = x.shape as [number, number];
  // A fresh ones row (a fill is cheap): a cache keyed by n would keep one tensor per batch shape.
  return tf.reshape(tf.matMul(tf.ones([1, n]) as tf.Tensor2D, x as tf.Tensor2D), [d]);
}
