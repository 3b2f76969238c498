// Inverted dropout with an explicit seed so runs are reproducible on every backend.
import * as tf from "@tensorflow/tfjs-core";

export function dropout(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  if (rate <= 0) return x;
  const keep = tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, "float32", seed), rate), "float32");
  return tf.mul(x, tf.mul(keep, 1 / (1 - rate)));
}
