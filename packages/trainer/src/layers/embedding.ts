// Embedding lookup whose gradient is a scatter-add done in JS: tfjs's Gather gradient needs
// UnsortedSegmentSum, which the wasm backend does not implement.
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op";

/** rows of `table` [v, d] at `ids` (flat, length n) -> [n, d]. */
export function embed(table: tf.Tensor2D, ids: Int32Array): tf.Tensor2D {
  const [v, d] = table.shape;
  const idx = tf.tensor1d(ids, "int32");
  return customOp<tf.Tensor2D>(([t]) => ({
    value: tf.gather(t, idx),
    gradFunc: (dy: tf.Tensor) => {
      const g = dy.dataSync();
      const out = new Float32Array(v * d);
      for (let i = 0; i < ids.length; i++) {
        const row = ids[i] * d;
        const src = i * d;
        for (let j = 0; j < d; j++) out[row + j] += g[src + j];
      }
      return tf.tensor2d(out, [v, d]);
    },
  }), table);
}
