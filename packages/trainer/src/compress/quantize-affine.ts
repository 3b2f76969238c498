// Uniform affine quantization of a whole tensor, per tensor or per channel along one axis.
import { computeQuantParams, dequantizeValue, quantizeValue, type QuantParams, type QuantScheme } from "./quant-params";

export type Granularity = "tensor" | "channel";

export interface AffineQuantized {
  kind: "affine";
  bits: number;
  scheme: QuantScheme;
  shape: number[];
  /** Channel axis, or null for one scale for the whole tensor. */
  axis: number | null;
  scales: Float32Array;
  zeroPoints: Int32Array;
  /** One integer code per value (row-major); packed to `bits` per value when stored. */
  codes: Int32Array;
}

export interface AffineOptions {
  bits: number;
  scheme: QuantScheme;
  granularity: Granularity;
  /** Channel axis for per-channel quantization (default: the last axis, the output channel of our [in, out] weights). */
  axis?: number;
}

/** Channel of every flat index along `axis` of a row-major tensor. */
function channelOf(shape: number[], axis: number): (i: number) => number {
  const stride = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const size = shape[axis];
  return (i) => Math.floor(i / stride) % size;
}

export function quantizeAffine(values: Float32Array, shape: number[], opts: AffineOptions): AffineQuantized {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== values.length) throw new Error(`quantizeAffine: shape [${shape}] holds ${n} values, got ${values.length}`);
  let axis: number | null = null;
  if (opts.granularity === "channel") {
    axis = opts.axis ?? shape.length - 1;
    if (!Number.isInteger(axis) || axis < 0 || axis >= shape.length) throw new Error(`axis: expected 0..${shape.length - 1} for shape [${shape}], got ${opts.axis}`);
  } else if (opts.granularity !== "tensor") {
    throw new Error(`granularity: expected 'tensor' or 'channel', got ${JSON.stringify(opts.granularity)}`);
  }
  const channels = axis === null ? 1 : shape[axis];
  const chan = axis === null ? () => 0 : channelOf(shape, axis);
  const mins = new Float64Array(channels).fill(Infinity);
  const maxs = new Float64Array(channels).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const c = chan(i);
    if (values[i] < mins[c]) mins[c] = values[i];
    if (values[i] > maxs[c]) maxs[c] = values[i];
  }
  const params: QuantParams[] = [];
  for (let c = 0; c < channels; c++) {
    // An empty tensor has no range; treat it as all zeros.
    const lo = Number.isFinite(mins[c]) ? mins[c] : 0;
    const hi = Number.isFinite(maxs[c]) ? maxs[c] : 0;
    params.push(computeQuantParams(lo, hi, opts.bits, opts.scheme));
  }
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = quantizeValue(values[i], params[chan(i)]);
  return {
    kind: "affine",
    bits: opts.bits,
    scheme: opts.scheme,
    shape: [...shape],
    axis,
    scales: Float32Array.from(params, (p) => p.scale),
    zeroPoints: Int32Array.from(params, (p) => p.zeroPoint),
    codes,
  };
}

export function dequantizeAffine(q: AffineQuantized): Float32Array {
  const chan = q.axis === null ? () => 0 : channelOf(q.shape, q.axis);
  const out = new Float32Array(q.codes.length);
  for (let i = 0; i < out.length; i++) {
    const c = chan(i);
    out[i] = dequantizeValue(q.codes[i], { scale: q.scales[c], zeroPoint: q.zeroPoints[c], qmin: 0, qmax: 0 });
  }
  return out;
}

/** Stored size: codes packed at `bits` per value, an fp32 scale per channel, and (asymmetric) a
 *  zero point per channel in ceil(bits/8) bytes. */
export function affineBytes(q: AffineQuantized): number {
  const codeBytes = Math.ceil((q.codes.length * q.bits) / 8);
  const zpBytes = q.scheme === "asymmetric" ? q.zeroPoints.length * Math.ceil(q.bits / 8) : 0;
  return codeBytes + q.scales.length * 4 + zpBytes;
}
