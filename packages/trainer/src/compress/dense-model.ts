// Compression works on plain fp32 weights: LoRA deltas are merged, a QLoRA base is dequantized,
// adapter parameters are kept as they are. The fine-tuned model passed in is never mutated.
import * as tf from "@tensorflow/tfjs-core";
import type { LoadedModel } from "../types";
import { uid } from "../models/create-model";
import { dequantizeValues } from "../models/quantize-weight";
import { loraScale } from "../models/lora-scale";

/** A standalone copy of `model` whose every base weight is an fp32, trainable variable. */
export function toDenseModel(model: LoadedModel): LoadedModel {
  const weights = new Map<string, tf.Variable>();
  const variable = (name: string, t: tf.Tensor) => tf.variable(t, true, `${model.name}/${name}/${uid()}`);
  const merged = !model.method || model.method.merged;
  for (const [name, v] of model.weights) {
    // A merged qlora model keeps a merged fp32 copy beside its quantized base: that copy wins.
    weights.set(name, variable(name, v));
  }
  for (const [name, q] of model.quantized ?? []) {
    if (!weights.has(name)) weights.set(name, variable(name, tf.tensor(dequantizeValues(q), q.shape)));
  }
  const extra = new Map<string, tf.Variable>();
  for (const [name, v] of model.extra) {
    if (name.endsWith(".lora_A") || name.endsWith(".lora_B")) continue;
    extra.set(name, variable(name, v));
  }
  if (!merged) {
    const s = loraScale(model.method!.config);
    for (const [name, a] of model.extra) {
      if (!name.endsWith(".lora_A")) continue;
      const layer = name.slice(0, -".lora_A".length);
      const w = weights.get(`${layer}.weight`)!;
      w.assign(tf.tidy(() => tf.add(w, tf.mul(tf.matMul(a, model.extra.get(`${layer}.lora_B`)!), s))));
    }
  }
  const trainable = [...weights.keys(), ...extra.keys()];
  return {
    name: model.name,
    config: structuredClone(model.config),
    weights,
    extra,
    // Adapter parameters stay in the forward pass; with none left the model is a plain base model.
    method: extra.size > 0 && model.method ? { config: { ...model.method.config }, trainable, merged: false } : null,
    pretraining: model.pretraining ? { ...model.pretraining } : undefined,
    metadata: structuredClone(model.metadata),
  };
}

/** Names (without ".weight") of the linear layers compression acts on, in forward order. */
export function linearLayers(model: LoadedModel): string[] {
  return [...model.weights.keys()].filter((n) => n.endsWith(".weight") && model.weights.get(n)!.rank === 2).map((n) => n.slice(0, -".weight".length));
}

/** fp32 bytes of every variable (base and extra). */
export function denseBytes(model: LoadedModel): number {
  let bytes = 0;
  for (const v of model.weights.values()) bytes += v.size * 4;
  for (const v of model.extra.values()) bytes += v.size * 4;
  return bytes;
}
