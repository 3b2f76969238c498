// Causal multi-head attention as one tape node with a hand-written kernel in plain JS.
// On tfjs-wasm only 2-D matMuls reach XNNPACK; batched (per-head) matMuls and the head
// split/merge transposes run an order of magnitude slower. This kernel reads q, k, v in their
// natural [b·t, heads·hd] layout (no transposes), skips the masked upper triangle (half the work),
// and keeps the softmax probabilities for an exact backward pass.
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "./custom-op";
import { kernelRoutes } from "./kernel-routes";
import { wasmAttention, wasmAttentionAvailable } from "./wasm-attention";

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

/** [b·t, heads·hd] <-> head-major [b, heads, t, hd], so every row the kernels touch is contiguous. */
function permuteHeads(x: Float32Array, n: Dims, toHeadMajor: boolean): Float32Array {
  const { b, t, heads, hd, d } = n;
  const out = new Float32Array(x.length);
  let o = 0;
  for (let s = 0; s < b; s++)
    for (let h = 0; h < heads; h++)
      for (let i = 0; i < t; i++) {
        const row = (s * t + i) * d + h * hd;
        for (let c = 0; c < hd; c++, o++) {
          if (toHeadMajor) out[o] = x[row + c];
          else out[row + c] = x[o];
        }
      }
  return out;
}
const toHeads = (x: Float32Array, n: Dims) => permuteHeads(x, n, true);
const fromHeads = (x: Float32Array, n: Dims) => permuteHeads(x, n, false);

/** O = softmax(QKᵀ/√hd, causal)·V per (sequence, head) on head-major inputs; returns O (head-major)
 *  and P ([b·heads, t, t], lower triangle). */
function attendForward(q: Float32Array, k: Float32Array, v: Float32Array, n: Dims): { o: Float32Array; p: Float32Array } {
  const { b, t, heads, hd } = n;
  const scale = 1 / Math.sqrt(hd);
  const o = new Float32Array(q.length);
  const p = new Float32Array(b * heads * t * t);
  for (let bh = 0; bh < b * heads; bh++) {
    const base = bh * t * hd;
    const pBase = bh * t * t;
    for (let i = 0; i < t; i++) {
      const qi = base + i * hd;
      const pRow = pBase + i * t;
      let max = -Infinity;
      for (let j = 0; j <= i; j++) {
        const kj = base + j * hd;
        let dot = 0;
        for (let c = 0; c < hd; c++) dot += q[qi + c] * k[kj + c];
        dot *= scale;
        p[pRow + j] = dot;
        if (dot > max) max = dot;
      }
      let sum = 0;
      for (let j = 0; j <= i; j++) {
        const e = Math.exp(p[pRow + j] - max);
        p[pRow + j] = e;
        sum += e;
      }
      const inv = 1 / sum;
      for (let j = 0; j <= i; j++) {
        const pij = p[pRow + j] * inv;
        p[pRow + j] = pij;
        const vj = base + j * hd;
        for (let c = 0; c < hd; c++) o[qi + c] += pij * v[vj + c];
      }
    }
  }
  return { o, p };
}

/** Gradients (head-major) of attendForward for upstream dO (head-major). */
function attendBackward(dO: Float32Array, q: Float32Array, k: Float32Array, v: Float32Array, p: Float32Array, n: Dims): Float32Array[] {
  const { b, t, heads, hd } = n;
  const scale = 1 / Math.sqrt(hd);
  const dq = new Float32Array(q.length);
  const dk = new Float32Array(q.length);
  const dv = new Float32Array(q.length);
  const dp = new Float32Array(t);
  for (let bh = 0; bh < b * heads; bh++) {
    const base = bh * t * hd;
    const pBase = bh * t * t;
    for (let i = 0; i < t; i++) {
      const oi = base + i * hd;
      const pRow = pBase + i * t;
      // dP_ij = dO_i · v_j ;  dV_j += P_ij · dO_i
      let dot = 0;
      for (let j = 0; j <= i; j++) {
        const vj = base + j * hd;
        const pij = p[pRow + j];
        let acc = 0;
        for (let c = 0; c < hd; c++) {
          const g = dO[oi + c];
          acc += g * v[vj + c];
          dv[vj + c] += pij * g;
        }
        dp[j] = acc;
        dot += pij * acc;
      }
      // dS_ij = P_ij (dP_ij - Σ_j P_ij dP_ij) / √hd ;  dQ_i += dS_ij k_j ;  dK_j += dS_ij q_i
      for (let j = 0; j <= i; j++) {
        const ds = p[pRow + j] * (dp[j] - dot) * scale;
        const kj = base + j * hd;
        for (let c = 0; c < hd; c++) {
          dq[oi + c] += ds * k[kj + c];
          dk[kj + c] += ds * q[oi + c];
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
  if (kernelRoutes().wasmAttention && wasmAttentionAvailable(n.hd)) return wasmAttention(q, k, v, b, t, heads);
  return customOp<tf.Tensor2D>(([qi, ki, vi]) => {
    const heads3 = [qi, ki, vi].map((x) => toHeads(x.dataSync() as Float32Array, n));
    const { o, p } = attendForward(heads3[0], heads3[1], heads3[2], n);
    // The head-major copies and P travel to the backward pass in JS (the tape keeps this closure alive).
    return {
      value: tf.tensor2d(fromHeads(o, n), [b * t, d]),
      gradFunc: (dy: tf.Tensor) => {
        const g = attendBackward(toHeads(dy.dataSync() as Float32Array, n), heads3[0], heads3[1], heads3[2], p, n);
        return g.map((a) => tf.tensor2d(fromHeads(a, n), [b * t, d]));
      },
    };
  }, q, k, v);
}
