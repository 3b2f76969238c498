// Post-training quantization of the linear weights of a dense model: each weight is replaced by its
// quantize→dequantize image (what an integer kernel computes), and the packed form is kept for storage.
import * as tf from "@tensorflow/tfjs-core";
import type { LoadedModel } from "../types";
import { cloneModel } from "../models/create-model";
import { linearLayers } from "./dense-model";
import { packedBytes, quantizeTensor, unpackTensor, type PackedTensor, type WeightQuantSpec } from "./quantize-tensor";

export interface LayerQuantError {
  layer: string;
  params: number;
  /** ‖W − Ŵ‖ / ‖W‖ */
  relError: number;
  maxAbsError: number;
  bytesBefore: number;
  bytesAfter: number;
}

export interface QuantizedModel {
  model: LoadedModel;
  /** Packed storage of every quantized weight, by variable name ("<layer>.weight"). */
  packed: Map<string, PackedTensor>;
  layers: LayerQuantError[];
}

/** Embedding tables of a transformer (token and position): lookup tables rather than linear layers. */
export const EMBEDDING_NAMES = ["tok_emb", "pos_emb"];

/** What PTQ quantizes: every linear layer, plus the embedding tables when asked. */
export function quantizationTargets(model: LoadedModel, embeddings = false): string[] {
  return [...linearLayers(model), ...(embeddings ? EMBEDDING_NAMES.filter((n) => model.weights.has(n)) : [])];
}

/** Quantizes `layers` (linear layer names, or embedding table names; default every linear layer) of
 *  a copy of `dense`. Embedding tables get one scale per row (per token) when quantized per channel. */
export function quantizeModelWeights(dense: LoadedModel, spec: WeightQuantSpec, layers = linearLayers(dense)): QuantizedModel {
  const model = cloneModel(dense);
  const packed = new Map<string, PackedTensor>();
  const errors: LayerQuantError[] = [];
  for (const layer of layers) {
    const isTable = EMBEDDING_NAMES.includes(layer);
    const name = isTable ? layer : `${layer}.weight`;
    const v = model.weights.get(name);
    if (!v) throw new Error(`quantize: model '${dense.name}' has no linear layer '${layer}'`);
    const values = v.dataSync() as Float32Array;
    const p = quantizeTensor(values, v.shape, spec.format === "affine" && isTable ? { ...spec, axis: 0 } : spec);
    const back = unpackTensor(p);
    let diff = 0;
    let norm = 0;
    let maxAbs = 0;
    for (let i = 0; i < values.length; i++) {
      const d = values[i] - back[i];
      diff += d * d;
      norm += values[i] * values[i];
      maxAbs = Math.max(maxAbs, Math.abs(d));
    }
    const t = tf.tensor(back, v.shape);
    v.assign(t);
    t.dispose();
    packed.set(name, p);
    errors.push({ layer, params: values.length, relError: norm > 0 ? Math.sqrt(diff / norm) : Math.sqrt(diff), maxAbsError: maxAbs, bytesBefore: values.length * 4, bytesAfter: packedBytes(p) });
  }
  return { model, packed, layers: errors };
}
