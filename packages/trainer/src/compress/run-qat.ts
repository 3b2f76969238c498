// Quantization-aware training: a short re-fine-tune in which every linear weight passes through
// fake quantization (STE backward), so the weights settle where rounding costs least; then the
// weights are quantized for real and compared with post-training quantization at the same bits.
import * as tf from "@tensorflow/tfjs-core";
import type { Example, HyperParams, LinearTransforms, LoadedModel } from "../types";
import { resolveHyper } from "../train/resolve-hyper";
import { trainLoop } from "../train/train-loop";
import { evaluateModel } from "../train/evaluate-model";
import { disposeModel } from "../models/create-model";
import { denseBytes, toDenseModel } from "./dense-model";
import { quantizationTargets, quantizeModelWeights } from "./quantize-model";
import { computeQuantParams } from "./quant-params";
import { fakeQuantize } from "./fake-quantize";
import { specLabel, type WeightQuantSpec } from "./quantize-tensor";
import { compressedBytes } from "./compressed-checkpoint";
import type { CompressionOutcome } from "./compression-outcome";
import { runPtq } from "./run-ptq";

type AffineSpec = Extract<WeightQuantSpec, { format: "affine" }>;

/** Fake quantization of every linear weight with parameters observed from the weight itself each
 *  step (as PyTorch's weight observers do), so the forward pass computes exactly what export stores. */
export function weightFakeQuant(spec: AffineSpec): LinearTransforms {
  return {
    weight: (_layer, w) => {
      const perChannel = spec.granularity === "channel";
      const mins = (perChannel ? tf.min(w, 0) : tf.min(w)).dataSync();
      const maxs = (perChannel ? tf.max(w, 0) : tf.max(w)).dataSync();
      const params = Array.from(mins, (lo, i) => computeQuantParams(lo, maxs[i], spec.bits, spec.scheme));
      const shape = perChannel ? [1, params.length] : [];
      const scale = tf.tensor(params.map((p) => p.scale), shape);
      const zero = tf.tensor(params.map((p) => p.zeroPoint), shape);
      return fakeQuantize(w, scale, zero, params[0].qmin, params[0].qmax) as tf.Tensor2D;
    },
  };
}

export interface QatOptions {
  weights: WeightQuantSpec;
  train: Example[];
  validation: Example[];
  hyper: Partial<HyperParams>;
  /** Embedding tables are quantized after training (post-training: the lookup has no linear hook). */
  embeddings?: boolean;
  /** Also run PTQ at the same bits for the comparison (default true). */
  compareWithPtq?: boolean;
}

export async function runQat(fineTuned: LoadedModel, o: QatOptions): Promise<CompressionOutcome> {
  if (o.weights.format !== "affine") throw new Error(`qat.weights.format: fake quantization supports 'affine' weights, got '${o.weights.format}'`);
  const spec = o.weights;
  const hyper = resolveHyper(o.hyper);
  const model = toDenseModel(fineTuned);
  const bytesBefore = denseBytes(model);
  const before = evaluateModel(model, o.validation, hyper.per_device_eval_batch_size);
  const history: CompressionOutcome["history"] = [];
  model.transforms = weightFakeQuant(spec);
  let outcome;
  try {
    outcome = await trainLoop({
      model,
      train: o.train,
      validation: o.validation,
      hyper,
      onEval: (m) => history.push({ step: m.step, values: { "train/loss": m["train/loss"], "val/loss": m["val/loss"], "val/accuracy": m["val/accuracy"] } }),
    });
  } finally {
    model.transforms = undefined;
  }
  const q = quantizeModelWeights(model, spec, quantizationTargets(model, o.embeddings));
  disposeModel(model);
  const after = evaluateModel(q.model, o.validation, hyper.per_device_eval_batch_size);
  const summary: Record<string, number | string> = { qat_steps: outcome.steps, qat_best_step: outcome.bestStep };
  if (o.compareWithPtq !== false) {
    const ptq = runPtq(fineTuned, { weights: spec, embeddings: o.embeddings, validation: o.validation, batchSize: hyper.per_device_eval_batch_size });
    summary.ptq_val_loss = ptq.after.loss;
    summary.ptq_val_accuracy = ptq.after.accuracy;
    summary.qat_minus_ptq_val_loss = after.loss - ptq.after.loss;
    disposeModel(ptq.model);
  }
  return {
    technique: "qat",
    label: specLabel(spec) + (o.embeddings ? "-emb" : ""),
    config: { weights: spec, embeddings: o.embeddings ?? false, hyper: { ...hyper, augment: undefined } },
    model: q.model,
    packed: q.packed,
    bytesBefore,
    bytes: compressedBytes(q.model, q.packed),
    before,
    after,
    layers: q.layers.map((l) => ({ ...l, valLoss: NaN, valLossDelta: NaN })),
    history,
    summary,
  };
}
