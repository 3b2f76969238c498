// Causal attention as one tfjs kernel of the wasm backend (kernels/attention.ts): q, k, v stay in
// tfjs-wasm's memory in their natural [b·t, heads·hd] layout; P ([b·heads, t, t rounded up to 4])
// is written into a private buffer (an input) the backward kernel reads.
import * as tf from "@tensorflow/tfjs-core";
import { defineGradient, defineKernel, privateBuffer, run, wasmKernelsReady } from "./wasm-kernels";

const padded = (t: number) => (t + 3) & ~3;

defineKernel("FtAttention", (k, { q, k: kk, v, p }, attrs) => {
  const { b, t, heads } = attrs as { b: number; t: number; heads: number };
  const [n, d] = q.shape;
  const hd = d / heads;
  const o = k.out([n, d]);
  const kt = k.scratch(hd * padded(t) * 4);
  k.fn.attendForward(k.ptr(q), k.ptr(kk), k.ptr(v), k.ptr(o), k.ptr(p), kt, b, t, heads, hd);
  return o;
});

defineKernel("FtAttentionGrad", (k, { dO, q, k: kk, v, p }, attrs) => {
  const { b, t, heads } = attrs as { b: number; t: number; heads: number };
  const [n, d] = q.shape;
  const hd = d / heads;
  const [dq, dk, dv] = [0, 1, 2].map(() => k.out([n, d]));
  const tp = padded(t);
  const kt = k.scratch((hd * tp + t * tp) * 4);
  k.fn.attendBackward(k.ptr(dO), k.ptr(q), k.ptr(kk), k.ptr(v), k.ptr(p), k.ptr(dq), k.ptr(dk), k.ptr(dv), kt, kt + hd * tp * 4, b, t, heads, hd);
  return [dq, dk, dv];
});

defineGradient("FtAttention", ["q", "k", "v", "p"], [false], ([dO], [q, k, v, p], attrs) => {
  // Once per node, in the backward scope (each thunk runs in a tidy that must not own the outputs).
  const [dq, dk, dv] = run<tf.Tensor[]>("FtAttentionGrad", { dO, q, k, v, p }, attrs);
  return { q: () => dq, k: () => dk, v: () => dv };
});

/** True when the WASM kernel can run attention with head width `hd`. */
export function wasmAttentionAvailable(hd: number): boolean {
  return hd % 4 === 0 && wasmKernelsReady();
}

/** Causal self-attention of q, k, v [b·t, heads·hd] -> [b·t, heads·hd] on the WASM kernel. */
export function wasmAttention(q: tf.Tensor2D, k: tf.Tensor2D, v: tf.Tensor2D, b: number, t: number, heads: number): tf.Tensor2D {
  const p = privateBuffer([b * heads * t * padded(t)]);
  return run<tf.Tensor2D>("FtAttention", { q, k, v, p }, { b, t, heads });
}
