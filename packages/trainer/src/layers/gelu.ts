// GELU (tanh approximation, as GPT-2 and torch's approximate="tanh") with a closed-form derivative.
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op";

const C = Math.sqrt(2 / Math.PI);

export function gelu(x: tf.Tensor): tf.Tensor {
  return customOp(([xi], save) => {
    const x2 = tf.square(xi);
    const t = tf.tanh(tf.mul(tf.mul(xi, tf.add(tf.mul(x2, 0.044715), 1)), C));
    save([xi, x2, t]);
    return {
      value: tf.mul(tf.mul(xi, 0.5), tf.add(t, 1)),
      gradFunc: (dy: tf.Tensor, [xs, x2s, ts]: tf.Tensor[]) => {
        // d/dx = 0.5(1+t) + 0.5x(1-t²)·C(1+3·0.044715x²)
        const sech2 = tf.sub(1, tf.square(ts));
        const inner = tf.mul(tf.add(tf.mul(x2s, 3 * 0.044715), 1), C);
        const d = tf.add(tf.mul(tf.add(ts, 1), 0.5), tf.mul(tf.mul(tf.mul(xs, 0.5), sech2), inner));
        return tf.mul(dy, d);
      },
    };
  }, x);
}
