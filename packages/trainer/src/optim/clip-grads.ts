import * as tf from "@tensorflow/tfjs-core";

/** Global L2 norm of all gradients, and the gradients scaled so that norm ≤ maxNorm (0 = no clipping),
 *  as torch.nn.utils.clip_grad_norm_. */
export function clipGrads(grads: Record<string, tf.Tensor>, maxNorm: number): { grads: Record<string, tf.Tensor>; norm: tf.Scalar } {
  const parts = Object.values(grads).map((g) => tf.sum(tf.square(g)));
  const norm = tf.sqrt(parts.length ? tf.addN(parts) : tf.scalar(0)) as tf.Scalar;
  if (!(maxNorm > 0)) return { grads, norm };
  const coef = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1);
  const out: Record<string, tf.Tensor> = {};
  for (const [k, g] of Object.entries(grads)) out[k] = tf.mul(g, coef);
  return { grads: out, norm };
}
