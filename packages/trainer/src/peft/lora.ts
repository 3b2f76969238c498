// LoRA (Hu et al. 2021): h = W0·x + s·B·A·dropout(x), A Kaiming-uniform, B zero, W0 frozen.
// In our [in, out] weight layout the delta is s·A·B with A [in, r] and B [r, out].
import * as tf from "@tensorflow/tfjs-core";
import type { LoadedModel, LoraTargetName, MethodConfig } from "../types";
import { initTensor, uid } from "../models/create-model";
import { hashSeed } from "../models/rng";
import { loraScale } from "../models/lora-scale";
import { dequantizeValues } from "../models/quantize-weight";

export const LORA_TARGETS: readonly LoraTargetName[] = ["q", "k", "v", "o", "up", "down", "head", "fc"];

/** Names (without ".weight") of every linear layer in the model, in order. */
export function linearLayerNames(model: LoadedModel): string[] {
  const names = new Set<string>();
  for (const n of [...model.weights.keys(), ...(model.quantized?.keys() ?? [])]) {
    if (n.endsWith(".weight")) names.add(n.slice(0, -".weight".length));
  }
  return [...names];
}

/** The target kind of a linear layer: q/k/v/o/up/down for transformer projections, fc for MLP hidden layers. */
export function targetKind(layer: string): LoraTargetName {
  if (layer === "head") return "head";
  if (layer.startsWith("mlp.")) return "fc";
  return layer.slice(layer.lastIndexOf(".") + 1) as LoraTargetName;
}

/** Parses lora_target: "all", "q,v", ["q","v"]; "all" means every linear layer except the output head (as PEFT's all-linear). */
export function resolveTargets(model: LoadedModel, target: MethodConfig["lora_target"]): string[] {
  const layers = linearLayerNames(model);
  const raw = target ?? (model.config.family === "mlp" ? "all" : ["q", "v"]);
  const list = typeof raw === "string" ? raw.split(",").map((s) => s.trim()).filter(Boolean) : raw;
  if (list.includes("all") || list.includes("all-linear")) return layers.filter((l) => l !== "head");
  for (const t of list) {
    if (!LORA_TARGETS.includes(t as LoraTargetName)) {
      throw new Error(`lora_target: unknown projection '${t}', expected "all" or names from ${LORA_TARGETS.join(", ")}`);
    }
  }
  const chosen = layers.filter((l) => list.includes(targetKind(l)));
  if (chosen.length === 0) throw new Error(`lora_target: ${JSON.stringify(list)} matches no linear layer of model '${model.name}'`);
  return chosen;
}

/** Adds A/B for each target layer; returns the new variable names. */
export function addLora(model: LoadedModel, method: MethodConfig, seed: number): string[] {
  const r = method.lora_rank ?? 8;
  if (!Number.isInteger(r) || r < 1) throw new Error(`lora_rank must be a positive integer, got ${JSON.stringify(method.lora_rank)}`);
  const p = method.lora_dropout ?? 0;
  if (!(p >= 0 && p < 1)) throw new Error(`lora_dropout must be in [0, 1), got ${JSON.stringify(method.lora_dropout)}`);
  const names: string[] = [];
  for (const layer of resolveTargets(model, method.lora_target)) {
    const shape = (model.weights.get(`${layer}.weight`)?.shape ?? model.quantized!.get(`${layer}.weight`)!.shape) as number[];
    const [din, dout] = shape;
    // kaiming_uniform_(a=sqrt(5)) as in PEFT: bound = sqrt(6 / ((1 + 5)·fan_in)) = 1/sqrt(fan_in).
    const a = initTensor([din, r], { kind: "uniform", bound: 1 / Math.sqrt(din) }, hashSeed(seed, `${layer}.lora_A`));
    const b = tf.zeros([r, dout]);
    model.extra.set(`${layer}.lora_A`, tf.variable(a, true, `${model.name}/${layer}.lora_A/${uid()}`));
    model.extra.set(`${layer}.lora_B`, tf.variable(b, true, `${model.name}/${layer}.lora_B/${uid()}`));
    a.dispose();
    b.dispose();
    names.push(`${layer}.lora_A`, `${layer}.lora_B`);
  }
  return names;
}

function loraLayers(model: LoadedModel): string[] {
  return [...model.extra.keys()].filter((n) => n.endsWith(".lora_A")).map((n) => n.slice(0, -".lora_A".length));
}

function delta(model: LoadedModel, layer: string): tf.Tensor {
  const s = loraScale(model.method!.config);
  return tf.tidy(() => tf.mul(tf.matMul(model.extra.get(`${layer}.lora_A`)!, model.extra.get(`${layer}.lora_B`)!), s));
}

function requireLora(model: LoadedModel, verb: string): void {
  const t = model.method?.config.finetuning_type;
  if (t !== "lora" && t !== "qlora") throw new Error(`${verb}: model '${model.name}' has no LoRA layers (method: ${t ?? "none"})`);
}

/** W0 += s·A·B for every LoRA layer (for export); forward then skips the LoRA path.
 *  For qlora the merged weight is fp32 (dequantized base + delta); the quantized base is kept for unmerge. */
export function mergeLora(model: LoadedModel): void {
  requireLora(model, "mergeLora");
  if (model.method!.merged) return;
  for (const layer of loraLayers(model)) {
    const name = `${layer}.weight`;
    const d = delta(model, layer);
    const w = model.weights.get(name);
    if (w) w.assign(tf.tidy(() => tf.add(w, d)));
    else {
      const q = model.quantized!.get(name)!;
      const merged = tf.tidy(() => tf.add(tf.tensor(dequantizeValues(q), q.shape), d));
      model.weights.set(name, tf.variable(merged, false, `${model.name}/${name}/merged/${uid()}`));
      merged.dispose();
    }
    d.dispose();
  }
  model.method!.merged = true;
}

/** Inverse of mergeLora (W0 -= s·A·B; qlora returns to the untouched quantized base). */
export function unmergeLora(model: LoadedModel): void {
  requireLora(model, "unmergeLora");
  if (!model.method!.merged) return;
  for (const layer of loraLayers(model)) {
    const name = `${layer}.weight`;
    if (model.quantized?.has(name)) {
      model.weights.get(name)?.dispose();
      model.weights.delete(name);
      continue;
    }
    const w = model.weights.get(name)!;
    const d = delta(model, layer);
    w.assign(tf.tidy(() => tf.sub(w, d)));
    d.dispose();
  }
  model.method!.merged = false;
}
