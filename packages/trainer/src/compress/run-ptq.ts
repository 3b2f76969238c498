// Post-training quantization of a fine-tuned model: weights (affine or NF4), optionally 8-bit
// activations calibrated on a calibration split; val loss/accuracy before and after, and the
// sensitivity of each layer (val loss when only that layer is quantized).
import type { Example, LoadedModel } from "../types";
import { evaluateModel } from "../train/evaluate-model";
import { disposeModel } from "../models/create-model";
import { denseBytes, toDenseModel } from "./dense-model";
import { quantizationTargets, quantizeModelWeights } from "./quantize-model";
import { activationTransforms, calibrateActivations, type ActivationCalibration } from "./calibrate-activations";
import { specLabel, type WeightQuantSpec } from "./quantize-tensor";
import { compressedBytes } from "./compressed-checkpoint";
import type { CompressionOutcome, LayerSensitivity } from "./compression-outcome";

export interface PtqOptions {
  weights: WeightQuantSpec;
  activations?: ActivationCalibration;
  /** Also quantize the embedding tables (token / position), which hold much of a small LM's bytes. */
  embeddings?: boolean;
  /** Evaluate each layer quantized alone (one validation pass per linear layer). */
  sensitivity?: boolean;
  validation: Example[];
  calibration?: Example[];
  batchSize?: number;
}

export function runPtq(fineTuned: LoadedModel, o: PtqOptions): CompressionOutcome {
  const dense = toDenseModel(fineTuned);
  try {
    const bs = o.batchSize ?? 64;
    const before = evaluateModel(dense, o.validation, bs);
    const q = quantizeModelWeights(dense, o.weights, quantizationTargets(dense, o.embeddings));
    const activations = o.activations ? calibrateActivations(dense, o.calibration ?? [], o.activations, bs) : undefined;
    if (activations) q.model.transforms = activationTransforms(activations);
    const after = evaluateModel(q.model, o.validation, bs);
    const layers: LayerSensitivity[] = q.layers.map((l) => ({ ...l, valLoss: NaN, valLossDelta: NaN }));
    if (o.sensitivity) {
      for (const l of layers) {
        const single = quantizeModelWeights(dense, o.weights, [l.layer]);
        l.valLoss = evaluateModel(single.model, o.validation, bs).loss;
        l.valLossDelta = l.valLoss - before.loss;
        disposeModel(single.model);
      }
    }
    const label = specLabel(o.weights) + (o.embeddings ? "-emb" : "") + (o.activations ? `-a${o.activations.bits}-${o.activations.method}` : "");
    return {
      technique: "ptq",
      label,
      config: { weights: o.weights, embeddings: o.embeddings ?? false, activations: o.activations ?? null },
      model: q.model,
      packed: q.packed,
      activations,
      bytesBefore: denseBytes(dense),
      bytes: compressedBytes(q.model, q.packed),
      before,
      after,
      layers,
      history: [],
    };
  } finally {
    disposeModel(dense);
  }
}
