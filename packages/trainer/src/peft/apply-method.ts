// Turns a base model into a model prepared for one fine-tuning method: which variables train,
// which extra parameters exist, and (qlora) how the frozen base is stored.
import * as tf from "@tensorflow/tfjs-core";
import { FINETUNING_TYPES, type LoadedModel, type MethodConfig } from "../types";
import { addLora, linearLayerNames } from "./lora";
import { addHoulsbyAdapters, addIa3, addLlamaAdapter } from "./adapters";
import { quantizeWeight, quantizedBytes } from "../models/quantize-weight";

export { mergeLora, unmergeLora } from "./lora";

/** freeze: the top `n` layers train (negative n: the bottom |n|). Transformer layers are blocks;
 *  MLP layers are the hidden layers plus the output head. */
function freezeTrainable(model: LoadedModel, n: number): string[] {
  const cfg = model.config;
  const groups = cfg.family === "transformer" ? Array.from({ length: cfg.layers }, (_, i) => `blocks.${i}.`) : [...cfg.hidden.map((_, i) => `mlp.${i}.`), "head."];
  if (!Number.isInteger(n) || n === 0 || Math.abs(n) > groups.length) {
    throw new Error(`freeze_trainable_layers must be a non-zero integer in -${groups.length}..${groups.length}, got ${JSON.stringify(n)}`);
  }
  const chosen = n > 0 ? groups.slice(groups.length - n) : groups.slice(0, -n);
  return [...model.weights.keys()].filter((w) => chosen.some((g) => w.startsWith(g)));
}

/** QLoRA: every linear weight except the output head is replaced by its quantized form. */
function quantizeBase(model: LoadedModel, method: MethodConfig): number {
  const bits = method.quantization_bit ?? 4;
  if (bits !== 4 && bits !== 8) throw new Error(`quantization_bit must be 4 or 8, got ${JSON.stringify(method.quantization_bit)}`);
  model.quantized = new Map();
  let bytes = 0;
  for (const layer of linearLayerNames(model)) {
    if (layer === "head") continue;
    const name = `${layer}.weight`;
    const v = model.weights.get(name)!;
    const q = quantizeWeight(v.dataSync() as Float32Array, v.shape, bits, method.double_quantization ?? false);
    model.quantized.set(name, q);
    bytes += quantizedBytes(q);
    v.dispose();
    model.weights.delete(name);
  }
  return bytes;
}

/** Wraps `model` with the PEFT method in place (adds `extra` variables, sets `method`). */
export function applyMethod(model: LoadedModel, method: MethodConfig, seed = 0): LoadedModel {
  if (!FINETUNING_TYPES.includes(method.finetuning_type)) {
    throw new Error(`finetuning_type: expected one of ${FINETUNING_TYPES.join(", ")}, got '${method.finetuning_type}'`);
  }
  if (model.method) {
    throw new Error(`model '${model.name}' already has method '${model.method.config.finetuning_type}'; start from the base model`);
  }
  let trainable: string[];
  let qBytes: number | undefined;
  switch (method.finetuning_type) {
    case "full":
      trainable = [...model.weights.keys()];
      break;
    case "freeze":
      trainable = freezeTrainable(model, method.freeze_trainable_layers ?? 1);
      break;
    case "lora":
      trainable = addLora(model, method, seed);
      break;
    case "qlora":
      qBytes = quantizeBase(model, method);
      trainable = addLora(model, method, seed);
      break;
    case "adapter":
      trainable = addHoulsbyAdapters(model, method, seed);
      break;
    case "llama_adapter":
      trainable = addLlamaAdapter(model, method, seed);
      break;
    case "ia3":
      trainable = addIa3(model);
      break;
  }
  const trainSet = new Set(trainable);
  for (const [n, v] of model.weights) if (!trainSet.has(n)) v.trainable = false;
  model.method = { config: { ...method }, trainable, merged: false, ...(qBytes !== undefined ? { quantizedBytes: qBytes } : {}) };
  return model;
}

/** The variables the optimizer updates, in a stable order. */
export function trainableVariables(model: LoadedModel): { name: string; variable: tf.Variable }[] {
  const names = model.method ? model.method.trainable : [...model.weights.keys()];
  return names.map((name) => {
    const variable = model.weights.get(name) ?? model.extra.get(name);
    if (!variable) throw new Error(`trainable parameter '${name}' is missing from model '${model.name}'`);
    return { name, variable };
  });
}
