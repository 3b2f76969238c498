// Embedding lookup whose gradient is a scatter-add: tfjs's Gather gradient needs
// UnsortedSegmentSum, which the wasm backend does not implement. In JS, or with the wasmEmbedding
// route both ways as WASM kernels on tfjs-wasm's memory.
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op";
import { kernelRoutes } from "./kernel-routes";
import { defineGradient, defineKernel, run, wasmKernelsReady } from "./wasm-kernels";

defineKernel("FtEmbedding", (k, { table, ids }) => {
  const d = table.shape[1];
  const n = ids.shape[0];
  const out = k.out([n, d]);
  k.fn.gatherRows(k.ptr(table), k.ptr(ids), k.ptr(out), n, d);
  return out;
});

defineKernel("FtEmbeddingGrad", (k, { dy, ids }, attrs) => {
  const [n, d] = dy.shape;
  const rows = attrs.rows as number;
  const out = k.out([rows, d]);
  k.fn.scatterAddRows(k.ptr(dy), k.ptr(ids), k.ptr(out), n, d, rows);
  return out;
});

defineGradient("FtEmbedding", ["ids"], [false], ([dy], [ids], attrs) => ({ table: () => run<tf.Tensor>("FtEmbeddingGrad", { dy, ids }, attrs) }));

/** rows of `table` [v, d] at `ids` (flat, length n) -> [n, d]. */
export function embed(table: tf.Tensor2D, ids: Int32Array): tf.Tensor2D {
  const [v, d] = table.shape;
  const idx = tf.tensor1d(ids, "int32");
  if (kernelRoutes().wasmEmbedding && wasmKernelsReady()) {
    // The kernel reads rows by id: an id outside the table must not read past it.
    for (let i = 0; i < ids.length; i++) if (!(ids[i] >= 0 && ids[i] < v)) throw new Error(`embedding: token id ${ids[i]} at position ${i} is outside the vocabulary [0, ${v})`);
    return run<tf.Tensor2D>("FtEmbedding", { table, ids: idx }, { rows: v });
  }
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
