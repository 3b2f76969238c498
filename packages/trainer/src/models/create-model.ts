// Model construction: weights are plain tf.Variables named by layer so PEFT, compression and
// checkpoints can address them; init is deterministic per (seed, name) and independent of order.
import * as tf from "@tensorflow/tfjs-core";
import type { LoadedModel, MlpConfig, ModelConfig, TransformerConfig } from "../types";
import { createRng, hashSeed, normalArray, uniformArray } from "./rng";
import { releaseQuantized } from "./quantize-weight";

type Init = { kind: "normal"; std: number } | { kind: "uniform"; bound: number } | { kind: "const"; value: number };

/** Every base weight of a config with its shape and initialiser (GPT-2 style for transformers). */
export function weightSpecs(config: ModelConfig): { name: string; shape: number[]; init: Init }[] {
  const specs: { name: string; shape: number[]; init: Init }[] = [];
  const linear = (name: string, din: number, dout: number, std: number) => {
    specs.push({ name: `${name}.weight`, shape: [din, dout], init: { kind: "normal", std } });
    specs.push({ name: `${name}.bias`, shape: [dout], init: { kind: "const", value: 0 } });
  };
  const norm = (name: string, d: number) => {
    specs.push({ name: `${name}.gamma`, shape: [d], init: { kind: "const", value: 1 } });
    specs.push({ name: `${name}.beta`, shape: [d], init: { kind: "const", value: 0 } });
  };
  if (config.family === "transformer") {
    const { vocabSize: v, contextLength: t, width: d, ffnWidth: f, layers } = config;
    const residualStd = 0.02 / Math.sqrt(2 * layers);
    specs.push({ name: "tok_emb", shape: [v, d], init: { kind: "normal", std: 0.02 } });
    specs.push({ name: "pos_emb", shape: [t, d], init: { kind: "normal", std: 0.01 } });
    for (let i = 0; i < layers; i++) {
      const p = `blocks.${i}`;
      norm(`${p}.ln1`, d);
      for (const proj of ["q", "k", "v"]) linear(`${p}.attn.${proj}`, d, d, 0.02);
      linear(`${p}.attn.o`, d, d, residualStd);
      norm(`${p}.ln2`, d);
      linear(`${p}.ffn.up`, d, f, 0.02);
      linear(`${p}.ffn.down`, f, d, residualStd);
    }
    norm("ln_f", d);
    linear("head", d, v, 0.02);
  } else {
    let din = config.inputDim;
    config.hidden.forEach((h, i) => {
      // He-uniform for ReLU layers.
      specs.push({ name: `mlp.${i}.weight`, shape: [din, h], init: { kind: "uniform", bound: Math.sqrt(6 / din) } });
      specs.push({ name: `mlp.${i}.bias`, shape: [h], init: { kind: "const", value: 0 } });
      din = h;
    });
    specs.push({ name: "head.weight", shape: [din, config.numClasses], init: { kind: "uniform", bound: Math.sqrt(1 / din) } });
    specs.push({ name: "head.bias", shape: [config.numClasses], init: { kind: "const", value: 0 } });
  }
  return specs;
}

/** Initial values for a tensor of `shape` (used by PEFT for its extra parameters too). */
export function initTensor(shape: number[], init: Init, seed: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  if (init.kind === "const") return tf.fill(shape, init.value);
  const rng = createRng(seed);
  const data = init.kind === "normal" ? normalArray(rng, n, init.std) : uniformArray(rng, n, init.bound);
  return tf.tensor(data, shape);
}

function checkConfig(config: ModelConfig): void {
  const bad = (field: string, expected: string, got: unknown) => {
    throw new Error(`model config: '${field}' must be ${expected}, got ${JSON.stringify(got)}`);
  };
  const posInt = (field: string, v: unknown) => {
    if (!Number.isInteger(v) || (v as number) < 1) bad(field, "a positive integer", v);
  };
  if (config.family === "transformer") {
    const c = config as TransformerConfig;
    for (const f of ["vocabSize", "contextLength", "layers", "width", "heads", "ffnWidth"] as const) posInt(f, c[f]);
    if (c.width % c.heads !== 0) bad("heads", `a divisor of width ${c.width}`, c.heads);
  } else if (config.family === "mlp") {
    const c = config as MlpConfig;
    posInt("inputDim", c.inputDim);
    posInt("numClasses", c.numClasses);
    if (!Array.isArray(c.hidden)) bad("hidden", "an array of positive integers", c.hidden);
    c.hidden.forEach((h, i) => posInt(`hidden[${i}]`, h));
  } else {
    bad("family", "'transformer' or 'mlp'", (config as { family?: unknown }).family);
  }
}

/** Fills in defaults (ffnWidth = 4·width) for a partial transformer config. */
export function transformerConfig(c: Omit<TransformerConfig, "family" | "ffnWidth"> & { ffnWidth?: number }): TransformerConfig {
  return { family: "transformer", ...c, ffnWidth: c.ffnWidth ?? 4 * c.width };
}

/** A freshly initialised model (deterministic in `seed`). */
export function createModel(name: string, config: ModelConfig, seed = 0): LoadedModel {
  checkConfig(config);
  const weights = new Map<string, tf.Variable>();
  for (const spec of weightSpecs(config)) {
    const t = initTensor(spec.shape, spec.init, hashSeed(seed, spec.name));
    weights.set(spec.name, tf.variable(t, true, `${name}/${spec.name}/${uid()}`));
    t.dispose();
  }
  return { name, config, weights, extra: new Map(), method: null, metadata: { seed } };
}

let counter = 0;
/** tfjs variable names must be globally unique; several copies of one model can coexist. */
export function uid(): string {
  counter += 1;
  return `${Date.now().toString(36)}${counter}`;
}

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Parameter counts: base (incl. quantized), extra (PEFT) and trainable (per the applied method). */
export function countParams(model: LoadedModel): { total: number; trainable: number; base: number; extra: number } {
  let base = 0;
  for (const v of model.weights.values()) base += v.size;
  for (const q of model.quantized?.values() ?? []) base += size(q.shape);
  let extra = 0;
  for (const v of model.extra.values()) extra += v.size;
  let trainable = 0;
  if (!model.method) trainable = base;
  else for (const n of model.method.trainable) trainable += (model.weights.get(n) ?? model.extra.get(n))?.size ?? 0;
  return { total: base + extra, trainable, base, extra };
}

export function disposeModel(model: LoadedModel): void {
  for (const v of model.weights.values()) v.dispose();
  for (const v of model.extra.values()) v.dispose();
  for (const q of model.quantized?.values() ?? []) releaseQuantized(q);
  model.weights.clear();
  model.extra.clear();
}

function copyVars(src: Map<string, tf.Variable>, modelName: string): Map<string, tf.Variable> {
  const out = new Map<string, tf.Variable>();
  for (const [n, v] of src) out.set(n, tf.variable(v, true, `${modelName}/${n}/${uid()}`));
  return out;
}

/** Deep copy: new variables, copied quantized buffers, copied method state. */
export function cloneModel(model: LoadedModel): LoadedModel {
  return {
    name: model.name,
    config: structuredClone(model.config),
    weights: copyVars(model.weights, model.name),
    extra: copyVars(model.extra, model.name),
    method: model.method ? structuredClone(model.method) : null,
    quantized: model.quantized ? new Map([...model.quantized].map(([n, q]) => [n, structuredClone(q)])) : undefined,
    pretraining: model.pretraining ? { ...model.pretraining } : undefined,
    metadata: structuredClone(model.metadata),
  };
}
