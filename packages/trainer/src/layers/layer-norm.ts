// LayerNorm with a fused backward (three reductions instead of the dozen ops autodiff records), and
// with the wasmLayerNorm route one WASM kernel each way that also takes the residual add before it.
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op";
import { columnSums } from "./column-sums";
import { kernelRoutes } from "./kernel-routes";
import { defineGradient, defineKernel, run, wasmKernelsReady } from "./wasm-kernels";

const EPS = 1e-5;

// FtAddLayerNorm: inputs x, a (the residual branch), gamma, beta -> [s = x + a, y = LN(s), mean, rstd].
// FtLayerNorm: inputs x, gamma, beta -> [y, mean, rstd].
function forwardKernel(residual: boolean) {
  return defineKernel(residual ? "FtAddLayerNorm" : "FtLayerNorm", (k, { x, a, gamma, beta }) => {
    const [n, d] = x.shape;
    const s = residual ? k.out([n, d]) : null;
    const y = k.out([n, d]);
    const mean = k.out([n]);
    const rstd = k.out([n]);
    k.fn.layerNormForward(k.ptr(x), a ? k.ptr(a) : 0, s ? k.ptr(s) : 0, k.ptr(gamma), k.ptr(beta), k.ptr(y), k.ptr(mean), k.ptr(rstd), n, d, EPS);
    return s ? [s, y, mean, rstd] : [y, mean, rstd];
  });
}
forwardKernel(false);
forwardKernel(true);

defineKernel("FtLayerNormGrad", (k, { dy, x, gamma, mean, rstd, dres }) => {
  const [n, d] = x.shape;
  const dx = k.out([n, d]);
  const dg = k.out([d]);
  const db = k.out([d]);
  k.fn.layerNormBackward(k.ptr(dy), k.ptr(x), k.ptr(gamma), k.ptr(mean), k.ptr(rstd), dres ? k.ptr(dres) : 0, k.ptr(dx), k.ptr(dg), k.ptr(db), n, d);
  return [dx, dg, db];
});

// The gradient kernel runs once per node, when the tape calls the gradient function (in the backward
// scope); each input's thunk then runs in a tidy of its own, which must not own the shared outputs.
defineGradient("FtLayerNorm", ["x", "gamma"], [false, true, true], ([dy], [x, gamma, mean, rstd]) => {
  const [dx, dg, db] = run<tf.Tensor[]>("FtLayerNormGrad", { dy, x, gamma, mean, rstd });
  return { x: () => dx, gamma: () => dg, beta: () => db };
});

// d/dx and d/da are both the residual's gradient plus LayerNorm's backward of dy.
defineGradient("FtAddLayerNorm", ["gamma"], [true, false, true, true], ([ds, dy], [gamma, s, mean, rstd]) => {
  const [dx, dg, db] = run<tf.Tensor[]>("FtLayerNormGrad", { dy, x: s, gamma, mean, rstd, dres: ds });
  return { x: () => dx, a: () => tf.clone(dx), gamma: () => dg, beta: () => db };
});

const useWasm = (x: tf.Tensor2D) => kernelRoutes().wasmLayerNorm && x.shape[1] % 4 === 0 && wasmKernelsReady();

/** (x - mean) / sqrt(var + eps) · gamma + beta over the last axis of x [n, d]. */
export function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor2D {
  if (useWasm(x)) return run<tf.Tensor[]>("FtLayerNorm", { x, gamma, beta })[0] as tf.Tensor2D;
  return layerNormOps(x, gamma, beta);
}

/** The residual sum s = x + a and layerNorm(s): one pass each way on the WASM route. */
export function addLayerNorm(x: tf.Tensor2D, a: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D): [tf.Tensor2D, tf.Tensor2D] {
  if (useWasm(x)) {
    const [s, y] = run<tf.Tensor[]>("FtAddLayerNorm", { x, a, gamma, beta });
    return [s as tf.Tensor2D, y as tf.Tensor2D];
  }
  const s = tf.add(x, a) as tf.Tensor2D;
  return [s, layerNormOps(s, gamma, beta)];
}

function layerNormOps(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor2D {
  return customOp<tf.Tensor2D>(([xi, g, b], save) => {
    const mean = tf.mean(xi, -1, true);
    const xc = tf.sub(xi, mean);
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), EPS));
    const xhat = tf.mul(xc, rstd);
    save([xhat, rstd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b),
      gradFunc: (dy: tf.Tensor, [xh, rs, gs]: tf.Tensor[]) => {
        const dxhat = tf.mul(dy, gs);
        const m1 = tf.mean(dxhat, -1, true);
        const m2 = tf.mean(tf.mul(dxhat, xh), -1, true);
        const dx = tf.mul(tf.sub(tf.sub(dxhat, m1), tf.mul(xh, m2)), rs);
        return [dx, columnSums(tf.mul(dy, xh)), columnSums(dy)];
      },
    };
  }, x, gamma, beta);
}
