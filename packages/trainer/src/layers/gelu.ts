// GELU (tanh approximation, as GPT-2 and torch's approximate="tanh") with a closed-form derivative:
// tf ops, or with the wasmGelu route the WASM SIMD kernels of kernels/gelu.ts.
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op";
import { kernelRoutes } from "./kernel-routes";
import { defineGradient, defineKernel, run, wasmKernelsReady } from "./wasm-kernels";

const C = Math.sqrt(2 / Math.PI);

defineKernel("FtGelu", (k, { x }) => {
  const y = k.out(x.shape);
  k.fn.geluForward(k.ptr(x), k.ptr(y), y.shape.reduce((a, b) => a * b, 1));
  return y;
});

defineKernel("FtGeluGrad", (k, { dy, x }) => {
  const dx = k.out(x.shape);
  k.fn.geluBackward(k.ptr(dy), k.ptr(x), k.ptr(dx), x.shape.reduce((a, b) => a * b, 1));
  return dx;
});

defineGradient("FtGelu", ["x"], [false], ([dy], [x]) => ({ x: () => run<tf.Tensor>("FtGeluGrad", { dy, x }) }));

export function gelu(x: tf.Tensor): tf.Tensor {
  // One SIMD pass each way (value and derivative from a polynomial exp) instead of ~8 kernels.
  return kernelRoutes().wasmGelu && wasmKernelsReady() ? run<tf.Tensor>("FtGelu", { x }) : geluOps(x);
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
