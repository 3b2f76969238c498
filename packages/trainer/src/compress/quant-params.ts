// Scale / zero point of uniform affine quantization (PyTorch's MinMax observer conventions).
import { roundHalfEven } from "./round-half-even";

export type QuantScheme = "symmetric" | "asymmetric";

export interface QuantParams {
  scale: number;
  zeroPoint: number;
  qmin: number;
  qmax: number;
}

/** Smallest scale used when a range is empty (all zeros), as torch.finfo(float32).eps. */
export const MIN_SCALE = 1.1920928955078125e-7;

/** Integer range of a scheme: symmetric is ±(2^(b−1)−1) (the −2^(b−1) code unused, so the range
 *  is symmetric about zero), asymmetric is the unsigned 0..2^b−1. */
export function quantRange(bits: number, scheme: QuantScheme): { qmin: number; qmax: number } {
  if (!Number.isInteger(bits) || bits < 2 || bits > 16) throw new Error(`bits: expected an integer in 2..16, got ${JSON.stringify(bits)}`);
  if (scheme === "symmetric") return { qmin: -(2 ** (bits - 1) - 1), qmax: 2 ** (bits - 1) - 1 };
  if (scheme === "asymmetric") return { qmin: 0, qmax: 2 ** bits - 1 };
  throw new Error(`scheme: expected 'symmetric' or 'asymmetric', got ${JSON.stringify(scheme)}`);
}

/** Parameters for values observed in [min, max]. Symmetric: zero point 0, scale = max|x| / qmax.
 *  Asymmetric: the range is widened to include 0 (so zero is exactly representable, which padding
 *  and ReLU outputs need), scale = (max − min) / (qmax − qmin), zero point = qmin − round(min / scale). */
export function computeQuantParams(min: number, max: number, bits: number, scheme: QuantScheme): QuantParams {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) throw new Error(`quantization range: expected finite min <= max, got [${min}, ${max}]`);
  const { qmin, qmax } = quantRange(bits, scheme);
  if (scheme === "symmetric") {
    const absmax = Math.max(Math.abs(min), Math.abs(max));
    return { scale: Math.fround(Math.max(absmax / qmax, MIN_SCALE)), zeroPoint: 0, qmin, qmax };
  }
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  // Scales are stored as fp32; quantize against the value the dequantizer will read.
  const scale = Math.fround(Math.max((hi - lo) / (qmax - qmin), MIN_SCALE));
  const zeroPoint = Math.min(qmax, Math.max(qmin, qmin - roundHalfEven(lo / scale)));
  return { scale, zeroPoint, qmin, qmax };
}

/** q = clamp(round(x / scale) + zeroPoint, qmin, qmax). */
export function quantizeValue(x: number, p: QuantParams): number {
  return Math.min(p.qmax, Math.max(p.qmin, roundHalfEven(x / p.scale) + p.zeroPoint));
}

/** x̂ = (q − zeroPoint) · scale. */
export function dequantizeValue(q: number, p: QuantParams): number {
  return (q - p.zeroPoint) * p.scale;
}
