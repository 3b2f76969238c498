// Dense layer ops whose backward passes use only plain matMuls: on tfjs-wasm a matMul with
// transposeA/transposeB runs ~20x slower than a plain one, and tf's own MatMul gradient uses them.
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op";
import { columnSums } from "./column-sums";
import { kernelRoutes } from "./kernel-routes";
import { defineGradient, defineKernel, run, wasmKernelsReady } from "./wasm-kernels";

// FtDense: x [n, in]·w [in, out] + b through tfjs-wasm's own fused matMul (XNNPACK, bias added in
// the same kernel instead of a broadcasting Add), as one tape node with plain-matMul gradients and
// the bias gradient as one WASM column-sum pass.
defineKernel("FtDense", (_k, { x, w, b }, _attrs, backend) => {
  const [n, din] = x.shape;
  const dout = w.shape[1];
  const matMul = tf.getKernel("_FusedMatMul", "wasm")!.kernelFunc;
  const y = matMul({
    inputs: { a: { ...x, shape: [1, n, din] }, b: { ...w, shape: [1, din, dout] }, ...(b ? { bias: b } : {}) },
    attrs: { transposeA: false, transposeB: false, activation: "linear" },
    backend,
  }) as tf.TensorInfo;
  return { ...y, shape: [n, dout] };
});

defineKernel("FtColumnSums", (k, { x }) => {
  const [n, d] = x.shape;
  const out = k.out([d]);
  k.fn.columnSums(k.ptr(x), k.ptr(out), n, d);
  return out;
});

defineKernel("FtTranspose", (k, { x }) => {
  const [n, d] = x.shape;
  const out = k.out([d, n]);
  k.fn.transpose2d(k.ptr(x), k.ptr(out), n, d);
  return out;
});

const transposed = (x: tf.Tensor) => run<tf.Tensor2D>("FtTranspose", { x });

defineGradient("FtDense", ["x", "w"], [false], ([dy], [x, w]) => ({
  x: () => tf.matMul(dy as tf.Tensor2D, transposed(w)),
  w: () => tf.matMul(transposed(x), dy as tf.Tensor2D),
  b: () => run<tf.Tensor>("FtColumnSums", { x: dy }),
}));

function addBias(y: tf.Tensor2D, b: tf.Tensor | null): tf.Tensor2D {
  return b ? tf.add(y, b) : y;
}

/** y = x·W (+ b) for x [n, in], W [in, out]; gradients for x, W (and b). */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D | null = null): tf.Tensor2D {
  if (kernelRoutes().wasmDense && wasmKernelsReady()) return run<tf.Tensor2D>("FtDense", b ? { x, w, b } : { x, w });
  if (b) {
    return customOp<tf.Tensor2D>(([xi, wi, bi], save) => {
      save([xi, wi]);
      return {
        value: addBias(tf.matMul(xi as tf.Tensor2D, wi as tf.Tensor2D), bi),
        gradFunc: (dy: tf.Tensor, [xs, ws]: tf.Tensor[]) => [
          tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)),
          tf.matMul(tf.transpose(xs), dy as tf.Tensor2D),
          columnSums(dy),
        ],
      };
    }, x, w, b);
  }
  return customOp<tf.Tensor2D>(([xi, wi], save) => {
    save([xi, wi]);
    return {
      value: tf.matMul(xi as tf.Tensor2D, wi as tf.Tensor2D),
      gradFunc: (dy: tf.Tensor, [xs, ws]: tf.Tensor[]) => [
        tf.matMul(dy as tf.Tensor2D, tf.transpose(ws)),
        tf.matMul(tf.transpose(xs), dy as tf.Tensor2D),
      ],
    };
  }, x, w);
}

/** y = x·W (+ b) with W (and b) frozen: only dx flows back. `wT` is W's transpose when the caller
 *  caches it across steps (frozen weights never change), else it is computed in the backward pass. */
export function denseFrozen(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D | null = null, wT?: tf.Tensor2D): tf.Tensor2D {
  return customOp<tf.Tensor2D>(([xi], save) => {
    // w may be a dequantized temporary of the forward scope, which is disposed before backward.
    save([wT ?? w]);
    return {
      value: addBias(tf.matMul(xi as tf.Tensor2D, w), b),
      gradFunc: (dy: tf.Tensor, [ws]: tf.Tensor[]) => tf.matMul(dy as tf.Tensor2D, wT ? ws : tf.transpose(ws)),
    };
  }, x);
}
