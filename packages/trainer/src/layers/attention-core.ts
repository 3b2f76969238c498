// Causal scaled-dot-product attention with a hand-written backward pass: every matMul is a plain
// batched matMul on explicitly transposed operands (fast on tfjs-wasm), and the tape holds one node.
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op";

const maskCache = new Map<string, tf.Tensor2D>();

/** [t, t] additive mask: 0 on and below the diagonal, -1e9 above. Cached per (length, backend). */
export function causalMask(t: number): tf.Tensor2D {
  const key = `${tf.getBackend()}:${t}`;
  let m = maskCache.get(key);
  if (!m || m.isDisposed) {
    const data = new Float32Array(t * t);
    for (let i = 0; i < t; i++) for (let j = i + 1; j < t; j++) data[i * t + j] = -1e9;
    m = tf.keep(tf.tensor2d(data, [t, t]));
    maskCache.set(key, m);
  }
  return m;
}

const tr = (x: tf.Tensor) => tf.transpose(x, [0, 2, 1]) as tf.Tensor3D;

/** softmax(q·kᵀ/sqrt(d) + mask)·v for q, k, v [batch·heads, t, d]. */
export function causalAttention(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D): tf.Tensor3D {
  const [, t, d] = q.shape;
  const scale = 1 / Math.sqrt(d);
  return customOp<tf.Tensor3D>(([qi, ki, vi], save) => {
    const s = tf.add(tf.mul(tf.matMul(qi as tf.Tensor3D, tr(ki)), scale), causalMask(t));
    const p = tf.softmax(s);
    save([qi, ki, vi, p]);
    return {
      value: tf.matMul(p as tf.Tensor3D, vi as tf.Tensor3D),
      gradFunc: (dO: tf.Tensor, [qs, ks, vs, ps]: tf.Tensor[]) => {
        const dV = tf.matMul(tr(ps), dO as tf.Tensor3D);
        const dP = tf.matMul(dO as tf.Tensor3D, tr(vs));
        const dS = tf.mul(tf.mul(ps, tf.sub(dP, tf.sum(tf.mul(dP, ps), -1, true))), scale) as tf.Tensor3D;
        return [tf.matMul(dS, ks as tf.Tensor3D), tf.matMul(tr(dS), qs as tf.Tensor3D), dV];
      },
    };
  }, q, k, v);
}
