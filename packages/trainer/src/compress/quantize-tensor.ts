// One entry point for every weight format compression stores: uniform affine (per tensor or per
// output channel) and NF4 blockwise (QLoRA's quantizer from peft, reused as is).
import type { QuantizedWeight } from "../types";
import { dequantizeValues, quantizeWeight, quantizedBytes, QUANT_BLOCK } from "../models/quantize-weight";
import { affineBytes, dequantizeAffine, quantizeAffine, type AffineQuantized, type Granularity } from "./quantize-affine";
import type { QuantScheme } from "./quant-params";

export type WeightQuantSpec =
  | { format: "affine"; bits: 4 | 8; scheme: QuantScheme; granularity: Granularity; axis?: number }
  | { format: "nf4"; double_quant?: boolean };

export type PackedTensor = AffineQuantized | { kind: "nf4"; q: QuantizedWeight };

export function quantizeTensor(values: Float32Array, shape: number[], spec: WeightQuantSpec): PackedTensor {
  if (spec.format === "nf4") return { kind: "nf4", q: quantizeWeight(values, shape, 4, spec.double_quant ?? false) };
  if (spec.format === "affine") return quantizeAffine(values, shape, spec);
  throw new Error(`weights.format: expected 'affine' or 'nf4', got ${JSON.stringify((spec as { format?: unknown }).format)}`);
}

export function unpackTensor(p: PackedTensor): Float32Array {
  return p.kind === "nf4" ? dequantizeValues(p.q) : dequantizeAffine(p);
}

export function packedBytes(p: PackedTensor): number {
  return p.kind === "nf4" ? quantizedBytes(p.q) : affineBytes(p);
}

/** Short label of a spec for run names and tables, e.g. "int8-sym-channel", "nf4-b64". */
export function specLabel(spec: WeightQuantSpec): string {
  if (spec.format === "nf4") return `nf4-b${QUANT_BLOCK}${spec.double_quant ? "-dq" : ""}`;
  return `int${spec.bits}-${spec.scheme === "symmetric" ? "sym" : "asym"}-${spec.granularity}`;
}
