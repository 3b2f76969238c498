// QLoRA storage: NF4 (4-bit NormalFloat) or int8, blockwise absmax, optional double quantization
// of the absmax constants (Dettmers et al. 2023). Codes live in JS buffers; forward passes
// dequantize on the fly.
import * as tf from "@tensorflow/tfjs-core";
import type { QuantizedWeight } from "../types";

/** The NF4 code book of bitsandbytes / the QLoRA paper (quantiles of N(0,1), normalised to [-1, 1]). */
export const NF4_TABLE = Float32Array.from([
  -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
  -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
  0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
  0.7229568362236023, 1.0,
]);
export const QUANT_BLOCK = 64;
export const DOUBLE_QUANT_BLOCK = 256;

function nearestNf4(x: number): number {
  // The table is sorted: binary search the midpoints.
  let lo = 0;
  let hi = 15;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x > (NF4_TABLE[mid] + NF4_TABLE[mid + 1]) / 2) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function doubleQuantize(absmax: Float32Array): NonNullable<QuantizedWeight["doubleQuant"]> {
  let mean = 0;
  for (const a of absmax) mean += a;
  mean /= absmax.length;
  const nb = Math.ceil(absmax.length / DOUBLE_QUANT_BLOCK);
  const scales = new Float32Array(nb);
  const codes = new Int8Array(absmax.length);
  for (let b = 0; b < nb; b++) {
    const end = Math.min(absmax.length, (b + 1) * DOUBLE_QUANT_BLOCK);
    let m = 0;
    for (let i = b * DOUBLE_QUANT_BLOCK; i < end; i++) m = Math.max(m, Math.abs(absmax[i] - mean));
    scales[b] = m;
    for (let i = b * DOUBLE_QUANT_BLOCK; i < end; i++) codes[i] = m === 0 ? 0 : Math.round(((absmax[i] - mean) / m) * 127);
  }
  return { codes, scales, offset: mean, blockSize: DOUBLE_QUANT_BLOCK };
}

/** The per-block absmax constants (recovered from the double quantization when present). */
export function blockScales(q: QuantizedWeight): Float32Array {
  if (q.absmax) return q.absmax;
  const dq = q.doubleQuant!;
  const out = new Float32Array(dq.codes.length);
  for (let i = 0; i < out.length; i++) out[i] = (dq.codes[i] / 127) * dq.scales[Math.floor(i / dq.blockSize)] + dq.offset;
  return out;
}

/** Blockwise quantization of `values` (row-major, `shape`). */
export function quantizeWeight(values: Float32Array, shape: number[], bits: 4 | 8, doubleQuant = false): QuantizedWeight {
  const n = values.length;
  const nb = Math.ceil(n / QUANT_BLOCK);
  const absmax = new Float32Array(nb);
  for (let b = 0; b < nb; b++) {
    let m = 0;
    for (let i = b * QUANT_BLOCK; i < Math.min(n, (b + 1) * QUANT_BLOCK); i++) m = Math.max(m, Math.abs(values[i]));
    absmax[b] = m;
  }
  const dq = doubleQuant ? doubleQuantize(absmax) : null;
  // Codes are chosen against the constants the dequantizer will actually see.
  const scales = dq ? blockScales({ bits, shape, blockSize: QUANT_BLOCK, codes: new Uint8Array(), absmax: null, doubleQuant: dq }) : absmax;
  const codes = new Uint8Array(bits === 4 ? Math.ceil(n / 2) : n);
  for (let i = 0; i < n; i++) {
    const s = scales[Math.floor(i / QUANT_BLOCK)];
    const x = s === 0 ? 0 : values[i] / s;
    if (bits === 4) codes[i >> 1] |= nearestNf4(x) << ((i & 1) * 4);
    else codes[i] = Math.max(-127, Math.min(127, Math.round(x * 127))) & 0xff;
  }
  return { bits, shape: [...shape], blockSize: QUANT_BLOCK, codes, absmax: dq ? null : absmax, doubleQuant: dq };
}

/** Dequantized values in JS (used by tests and merge/export). */
export function dequantizeValues(q: QuantizedWeight): Float32Array {
  const n = q.shape.reduce((a, b) => a * b, 1);
  const scales = blockScales(q);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const s = scales[Math.floor(i / q.blockSize)];
    if (q.bits === 4) out[i] = NF4_TABLE[(q.codes[i >> 1] >> ((i & 1) * 4)) & 15] * s;
    else out[i] = (((q.codes[i] << 24) >> 24) / 127) * s;
  }
  return out;
}

/** Bytes of the stored form: codes + fp32 absmax, or int8 absmax codes + fp32 second-level scales + offset. */
export function quantizedBytes(q: QuantizedWeight): number {
  const consts = q.doubleQuant ? q.doubleQuant.codes.byteLength + q.doubleQuant.scales.byteLength + 4 : q.absmax!.byteLength;
  return q.codes.byteLength + consts;
}

const deviceCache = new WeakMap<QuantizedWeight, { idx: tf.Tensor1D; scale: tf.Tensor2D; table: tf.Tensor1D; backend: string }>();

/** Frees the backend tensors cached for `q` (called by disposeModel). */
export function releaseQuantized(q: QuantizedWeight): void {
  const c = deviceCache.get(q);
  if (!c) return;
  for (const t of [c.idx, c.scale, c.table]) t.dispose();
  deviceCache.delete(q);
}

/** The dequantized matrix as a tensor, computed on the backend from cached code/scale tensors
 *  (the fp32 matrix is never stored, only materialised for the op that needs it). */
export function dequantizeTensor(q: QuantizedWeight): tf.Tensor {
  let c = deviceCache.get(q);
  if (!c || c.backend !== tf.getBackend() || c.idx.isDisposed) {
    const n = q.shape.reduce((a, b) => a * b, 1);
    const nb = Math.ceil(n / q.blockSize);
    const idx = new Int32Array(nb * q.blockSize);
    for (let i = 0; i < n; i++) idx[i] = q.bits === 4 ? (q.codes[i >> 1] >> ((i & 1) * 4)) & 15 : ((q.codes[i] << 24) >> 24) + 127;
    const table = q.bits === 4 ? NF4_TABLE : Float32Array.from({ length: 255 }, (_, i) => (i - 127) / 127);
    c = tf.tidy(() => ({
      idx: tf.keep(tf.tensor1d(idx, "int32")),
      scale: tf.keep(tf.tensor2d(blockScales(q), [nb, 1])),
      table: tf.keep(tf.tensor1d(table)),
      backend: tf.getBackend(),
    }));
    deviceCache.set(q, c);
  }
  const cc = c;
  return tf.tidy(() => {
    const n = q.shape.reduce((a, b) => a * b, 1);
    const blocks = tf.mul(tf.reshape(tf.gather(cc.table, cc.idx), [cc.scale.shape[0], q.blockSize]), cc.scale);
    const flat = tf.reshape(blocks, [-1]);
    return tf.reshape(flat.size === n ? flat : tf.slice(flat, 0, n), q.shape);
  });
}
