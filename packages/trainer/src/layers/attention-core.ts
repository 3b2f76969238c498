// Causal multi-head attention as one tape node with a hand-written kernel in plain JS.
// On tfjs-wasm only 2-D matMuls reach XNNPACK; batched (per-head) matMuls and the head
// split/merge transposes run an order of magnitude slower. This kernel reads q, k, v in their
// natural [b·t, heads·hd] layout (no transposes), skips the masked upper triangle (half the work),
// and keeps the softmax probabilities for an exact backward pass.
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

interface Dims {
  b: number;
  t: number;
  heads: number;
  hd: number;
  d: number;
}

/** O = softmax(QKᵀ/√hd, causal)·V per (sequence, head); returns O and P ([b, heads, t, t], lower triangle). */
function attendForward(q: Float32Array, k: Float32Array, v: Float32Array, n: Dims): { o: Float32Array; p: Float32Array } {
  const { b, t, heads, hd, d } = n;
  const scale = 1 / Math.sqrt(hd);
  const o = new Float32Array(b * t * d);
  const p = new Float32Array(b * heads * t * t);
  const row = new Float32Array(t);
  for (let s = 0; s < b; s++) {
    for (let h = 0; h < heads; h++) {
      const pBase = (s * heads + h) * t * t;
      for (let i = 0; i < t; i++) {
        const qi = (s * t + i) * d + h * hd;
        let max = -Infinity;
        for (let j = 0; j <= i; j++) {
          const kj = (s * t + j) * d + h * hd;
          let dot = 0;
          for (let c = 0; c < hd; c++) dot += q[qi + c] * k[kj + c];
          dot *= scale;
          row[j] = dot;
          if (dot > max) max = dot;
        }
        let sum = 0;
        for (let j = 0; j <= i; j++) {
          const e = Math.exp(row[j] - max);
          row[j] = e;
          sum += e;
        }
        const inv = 1 / sum;
        const oi = qi;
        for (let j = 0; j <= i; j++) {
          const pij = row[j] * inv;
          p[pBase + i * t + j] = pij;
          const vj = (s * t + j) * d + h * hd;
          for (let c = 0; c < hd; c++) o[oi + c] += pij * v[vj + c];
        }
      }
    }
  }
  return { o, p };
}

function attendBackward(dO: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array, p: Float32Array, n: Dims): Float32Array[] {
  const { b, t, heads, hd, d } = n;
  const scale = 1 / Math.sqrt(hd);
  const dq = new Float32Array(b * t * d);
  const dk = new Float32Array(b * t * d);
  const dv = new Float32Array(b * t * d);
  const dp = new Float32Array(t);
  for (let s = 0; s < b; s++) {
    for (let h = 0; h < heads; h++) {
      const pBase = (s * heads + h) * t * t;
      for (let i = 0; i < t; i++) {
        const oi = (s * t + i) * d + h * hd;
        // dP_ij = dO_i · v_j ;  dV_j += P_ij · dO_i
        let dot = 0;
        for (let j = 0; j <= i; j++) {
          const vj = (s * t + j) * d + h * hd;
          const pij = p[pBase + i * t + j];
          let acc = 0;
          for (let c = 0; c < hd; c++) {
            acc += dO[oi + c] * v[vj + c];
            dv[vj + c] += pij * dO[oi + c];
          }
          dp[j] = acc;
          dot += pij * acc;
        }
        // dS_ij = P_ij (dP_ij - Σ_j P_ij dP_ij) / √hd ;  dQ_i += dS_ij k_j ;  dK_j += dS_ij q_i
        for (let j = 0; j <= i; j++) {
          const ds = p[pBase + i * t + j] * (dp[j] - dot) * scale;
          if (ds === 0) continue;
          const kj = (s * t + j) * d + h * hd;
          for (let c = 0; c < hd; c++) {
            dq[oi + c] += ds * k[kj + c];
            dk[kj + c] += ds * q[oi + c];
          }
        }
      }
    }
  }
  return [dq, dk, dv];
}

/** Causal self-attention for q, k, v [b·t, heads·hd] (heads side by side in each row) -> [b·t, heads·hd]. */
export function causalAttention(q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D, b: number, t: number, heads: number): tf.Tensor2D {
  const d = q.shape[1];
  const n: Dims = { b, t, heads, hd: d / heads, d };
  return customOp<tf.Tensor2D>(([qi, ki, vi], save) => {
    const qa = qi.dataSync() as Float32Array;
    const ka = ki.dataSync() as Float32Array;
    const va = vi.dataSync() as Float32Array;
    const { o, p } = attendForward(qa, ka, va, n);
    const pT = tf.tensor1d(p);
    save([qi, ki, vi, pT]);
    return {
      value: tf.tensor2d(o, [b * t, d]),
      gradFunc: (dy: tf.Tensor, [qs, ks, vs, ps]: tf.Tensor[]) => {
        const g = attendBackward(dy.dataSync() as Float32Array, qs.dataSync() as Float32Array, ks.dataSync() as Float32Array, vs.dataSync() as Float32Array, ps.dataSync() as Float32Array, n);
        return g.map((a) => tf.tensor2d(a, [b * t, d]));
      },
    };
  }, q, k, v);
}
