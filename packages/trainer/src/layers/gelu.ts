// GELU (tanh approximation, as GPT-2 and torch's approximate="tanh") with a closed-form derivative.
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op";
import { kernelRoutes } from "./kernel-routes";

const C = Math.sqrt(2 / Math.PI);

export function gelu(x: tf.Tensor): tf.Tensor {
  return kernelRoutes().fusedGelu ? geluFused(x) : geluOps(x);
}

/** One pass over x: the value and its derivative (kept in JS for the backward multiply), instead
 *  of the ~8 element-wise kernels and their temporaries of geluOps. */
function geluFused(x: tf.Tensor): tf.Tensor {
  return customOp(([xi]) => {
    const a = xi.dataSync() as Float32Array;
    const n = a.length;
    const y = new Float32Array(n);
    const deriv = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = a[i];
      const v2 = v * v;
      const t = Math.tanh(C * v * (1 + 0.044715 * v2));
      y[i] = 0.5 * v * (1 + t);
      deriv[i] = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * C * (1 + 3 * 0.044715 * v2);
    }
    return {
      value: tf.tensor(y, xi.shape),
      gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.tensor(deriv, dy.shape)),
    };
  }, x);
}

function geluOps(x: tf.Tensor): tf.Tensor {
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
