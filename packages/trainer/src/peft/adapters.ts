// Houlsby et al. 2019 bottleneck adapters (after attention and after the FFN of every block;
// after every hidden layer of an MLP), LLaMA-Adapter (Zhang et al. 2023) adaption prompts, and
// (IA)³ (Liu et al. 2022) learned rescaling vectors.
import * as tf from "@tensorflow/tfjs-core";
import type { LoadedModel, MethodConfig } from "../types";
import { initTensor, uid } from "../models/create-model";
import { hashSeed } from "../models/rng";

function addVar(model: LoadedModel, name: string, t: tf.Tensor): string {
  model.extra.set(name, tf.variable(t, true, `${model.name}/${name}/${uid()}`));
  t.dispose();
  return name;
}

/** Near-identity init: both projections N(0, 1e-3²), biases zero, so the adapter starts at ~h. */
function addBottleneck(model: LoadedModel, prefix: string, d: number, m: number, seed: number): string[] {
  const small = { kind: "normal" as const, std: 1e-3 };
  return [
    addVar(model, `${prefix}.down.weight`, initTensor([d, m], small, hashSeed(seed, `${prefix}.down`))),
    addVar(model, `${prefix}.down.bias`, tf.zeros([m])),
    addVar(model, `${prefix}.up.weight`, initTensor([m, d], small, hashSeed(seed, `${prefix}.up`))),
    addVar(model, `${prefix}.up.bias`, tf.zeros([d])),
  ];
}

export function addHoulsbyAdapters(model: LoadedModel, method: MethodConfig, seed: number): string[] {
  const names: string[] = [];
  const cfg = model.config;
  const check = (m: number) => {
    if (!Number.isInteger(m) || m < 1) throw new Error(`adapter_size must be a positive integer, got ${JSON.stringify(method.adapter_size)}`);
  };
  if (cfg.family === "transformer") {
    const m = method.adapter_size ?? Math.max(1, Math.round(cfg.width / 16));
    check(m);
    for (let i = 0; i < cfg.layers; i++) {
      names.push(...addBottleneck(model, `blocks.${i}.adapter_attn`, cfg.width, m, seed));
      names.push(...addBottleneck(model, `blocks.${i}.adapter_ffn`, cfg.width, m, seed));
    }
  } else {
    cfg.hidden.forEach((h, i) => {
      const m = method.adapter_size ?? Math.max(1, Math.round(h / 16));
      check(m);
      names.push(...addBottleneck(model, `mlp.${i}.adapter`, h, m, seed));
    });
  }
  return names;
}

export function addLlamaAdapter(model: LoadedModel, method: MethodConfig, seed: number): string[] {
  const cfg = model.config;
  if (cfg.family !== "transformer") throw new Error(`finetuning_type 'llama_adapter' needs a transformer model, '${model.name}' is an MLP`);
  const len = method.adapter_len ?? 10;
  const layers = method.adapter_layers ?? cfg.layers;
  if (!Number.isInteger(len) || len < 1) throw new Error(`adapter_len must be a positive integer, got ${JSON.stringify(method.adapter_len)}`);
  if (!Number.isInteger(layers) || layers < 1 || layers > cfg.layers) {
    throw new Error(`adapter_layers must be an integer in 1..${cfg.layers}, got ${JSON.stringify(method.adapter_layers)}`);
  }
  const names: string[] = [];
  for (let i = cfg.layers - layers; i < cfg.layers; i++) {
    const p = `blocks.${i}`;
    names.push(addVar(model, `${p}.adapter_prompt`, initTensor([len, cfg.width], { kind: "normal", std: 0.02 }, hashSeed(seed, `${p}.prompt`))));
    names.push(addVar(model, `${p}.adapter_gate`, tf.zeros([cfg.heads])));
  }
  return names;
}

/** (IA)³: vectors l_k, l_v (attention keys and values) and l_ff (FFN activation after the
 *  nonlinearity), initialised to ones so training starts at the base model; MLP: one per hidden layer. */
export function addIa3(model: LoadedModel): string[] {
  const cfg = model.config;
  const names: string[] = [];
  if (cfg.family === "transformer") {
    for (let i = 0; i < cfg.layers; i++) {
      names.push(addVar(model, `blocks.${i}.attn.k.ia3`, tf.ones([cfg.width])));
      names.push(addVar(model, `blocks.${i}.attn.v.ia3`, tf.ones([cfg.width])));
      names.push(addVar(model, `blocks.${i}.ffn.up.ia3`, tf.ones([cfg.ffnWidth])));
    }
  } else {
    cfg.hidden.forEach((h, i) => names.push(addVar(model, `mlp.${i}.ia3`, tf.ones([h]))));
  }
  return names;
}
