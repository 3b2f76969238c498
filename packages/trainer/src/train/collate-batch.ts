// Turns examples into dense batch arrays; the only place example shapes are validated.
import type { ClassifierExample, Example, LmExample, LoadedModel } from "../types";

export interface LmBatch {
  kind: "lm";
  ids: Int32Array;
  targets: Int32Array;
  weights: Float32Array;
  b: number;
  t: number;
  /** Real (non-padding) input tokens. */
  tokens: number;
}
export interface ClassifierBatch {
  kind: "classifier";
  features: Float32Array;
  labels: Int32Array;
  b: number;
  inputDim: number;
  tokens: number;
}
export type Batch = LmBatch | ClassifierBatch;

const PAD_TARGET = 0;

function fail(where: string, msg: string): never {
  throw new Error(`${where}: ${msg}`);
}

/** Checks every example against the model once, before training starts. */
export function validateExamples(model: LoadedModel, examples: Example[], split: string): void {
  const cfg = model.config;
  examples.forEach((ex, i) => {
    const where = `${split}[${i}]`;
    if (cfg.family === "transformer") {
      const e = ex as LmExample;
      if (!Array.isArray(e.input) || !Array.isArray(e.target)) fail(where, "expected { input: number[], target: number[], lossMask?: number[] } for a transformer model");
      if (e.input.length === 0) fail(where, "input is empty");
      if (e.target.length !== e.input.length) fail(where, `target has ${e.target.length} tokens, expected ${e.input.length} (same as input)`);
      if (e.lossMask && e.lossMask.length !== e.input.length) fail(where, `lossMask has ${e.lossMask.length} entries, expected ${e.input.length}`);
      for (const [field, arr] of [["input", e.input], ["target", e.target]] as const) {
        const j = arr.findIndex((t) => !Number.isInteger(t) || t < 0 || t >= cfg.vocabSize);
        if (j >= 0) fail(where, `${field}[${j}] = ${arr[j]} is not a token id in 0..${cfg.vocabSize - 1}`);
      }
    } else {
      const e = ex as ClassifierExample;
      if (!Array.isArray(e.features)) fail(where, "expected { features: number[], label: number } for an MLP model");
      if (e.features.length !== cfg.inputDim) fail(where, `features has ${e.features.length} values, expected ${cfg.inputDim}`);
      if (!Number.isInteger(e.label) || e.label < 0 || e.label >= cfg.numClasses) fail(where, `label ${e.label} is not a class in 0..${cfg.numClasses - 1}`);
      const j = e.features.findIndex((v) => !Number.isFinite(v));
      if (j >= 0) fail(where, `features[${j}] is not a finite number`);
    }
  });
}

/** Pads to the longest example (right padding, weight 0); longer examples keep their last
 *  contextLength tokens, so the response end of an instruction example survives. */
export function collateBatch(model: LoadedModel, examples: Example[]): Batch {
  const cfg = model.config;
  if (cfg.family === "mlp") {
    const b = examples.length;
    const features = new Float32Array(b * cfg.inputDim);
    const labels = new Int32Array(b);
    examples.forEach((ex, i) => {
      const e = ex as ClassifierExample;
      features.set(e.features, i * cfg.inputDim);
      labels[i] = e.label;
    });
    return { kind: "classifier", features, labels, b, inputDim: cfg.inputDim, tokens: b };
  }
  const lm = examples as LmExample[];
  const t = Math.min(cfg.contextLength, Math.max(...lm.map((e) => e.input.length)));
  const b = lm.length;
  const ids = new Int32Array(b * t);
  const targets = new Int32Array(b * t).fill(PAD_TARGET);
  const weights = new Float32Array(b * t);
  let tokens = 0;
  lm.forEach((e, i) => {
    const start = Math.max(0, e.input.length - t);
    const len = e.input.length - start;
    tokens += len;
    for (let j = 0; j < len; j++) {
      ids[i * t + j] = e.input[start + j];
      targets[i * t + j] = e.target[start + j];
      weights[i * t + j] = e.lossMask ? e.lossMask[start + j] : 1;
    }
  });
  return { kind: "lm", ids, targets, weights, b, t, tokens };
}
