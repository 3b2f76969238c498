// What every compression technique returns: the compressed model, its storage, and what it cost.
import type { EvalResult, LoadedModel } from "../types";
import type { PackedTensor } from "./quantize-tensor";
import type { LayerQuantError } from "./quantize-model";
import type { QuantParams } from "./quant-params";

export type Technique = "ptq" | "qat" | "prune" | "distill";

export interface LayerSensitivity extends LayerQuantError {
  /** Val loss with only this layer compressed (NaN when not measured). */
  valLoss: number;
  valLossDelta: number;
}

/** One point of a compression curve (gradual pruning, recovery, QAT, distillation). */
export interface CompressionPoint {
  step: number;
  values: Record<string, number>;
}

export interface CompressionOutcome {
  technique: Technique;
  /** Short description for the run name, e.g. "int8-sym-channel". */
  label: string;
  config: Record<string, unknown>;
  model: LoadedModel;
  /** Quantized weights in their packed form (by variable name). */
  packed: Map<string, PackedTensor>;
  /** Static activation quantization of each linear layer's input (PTQ with activations). */
  activations?: Map<string, QuantParams>;
  /** Pruning masks (1 keeps, 0 removes) by variable name. */
  masks?: Map<string, Uint8Array>;
  bytesBefore: number;
  bytes: number;
  before: EvalResult;
  after: EvalResult;
  layers: LayerSensitivity[];
  history: CompressionPoint[];
  /** Extra summary values (e.g. the teacher of a distilled student, sparsity reached). */
  summary?: Record<string, number | string>;
}
