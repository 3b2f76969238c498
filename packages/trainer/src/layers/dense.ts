// Dense layer ops whose backward passes use only plain matMuls: on tfjs-wasm a matMul with
// transposeA/transposeB runs ~20x slower than a plain one, and tf's own MatMul gradient uses them.
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op";
import { columnSums } from "./column-sums";

function addBias(y: tf.Tensor2D, b: tf.Tensor | null): tf.Tensor2D {
  return b ? tf.add(y, b) : y;
}

/** y = x·W (+ b) for x [n, in], W [in, out]; gradients for x, W (and b). */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D | null = null): tf.Tensor2D {
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
