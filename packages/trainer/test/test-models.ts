// Tiny models and data for the trainer's own tests (seconds each on wasm).
import * as tf from "@tensorflow/tfjs-core";
import type { LmExample, LoadedModel } from "../src/types";
import { createModel, transformerConfig } from "../src/models/create-model";
import { forwardLm } from "../src/models/forward";
import { encodeText } from "../src/tokenizer/byte-tokenizer";

export function tinyTransformer(seed = 1, over: Partial<{ layers: number; width: number; heads: number; contextLength: number }> = {}): LoadedModel {
  return createModel("tiny-test", transformerConfig({ vocabSize: 259, contextLength: 32, layers: 2, width: 32, heads: 4, ...over }), seed);
}

/** Causal-LM examples: "<prompt>=<answer>." with the loss masked to the answer. */
export function arithmeticExamples(n: number, offset = 0): LmExample[] {
  return Array.from({ length: n }, (_, i) => {
    const a = (i + offset) % 10;
    const b = ((i + offset) * 3) % 10;
    const prompt = encodeText(`${a}+${b}=`);
    const full = [...prompt, ...encodeText(`${a + b}.`)];
    const input = full.slice(0, -1);
    const target = full.slice(1);
    const lossMask = target.map((_, j) => (j + 1 >= prompt.length ? 1 : 0));
    return { input, target, lossMask };
  });
}

/** Inference logits as a JS array, for exact comparisons. */
export function logitsOf(model: LoadedModel, ids: number[]): Float32Array {
  return tf.tidy(() => forwardLm(model, Int32Array.from(ids), 1, ids.length, { training: false, dropout: 0, seed: 0, trainable: new Set() }).dataSync() as Float32Array);
}

/** Copies of every base weight (and quantized code buffer) for bit-identity checks. */
export function snapshotBase(model: LoadedModel): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const [n, v] of model.weights) out.set(n, new Uint8Array((v.dataSync() as Float32Array).slice().buffer));
  for (const [n, q] of model.quantized ?? []) out.set(`${n}#codes`, q.codes.slice());
  return out;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The first steps of a training run: each step's loss and the weights left at the end. */
export interface StepTrace {
  losses: number[];
  weights: Float32Array[];
}

/** Largest loss difference (relative past 1) and largest weight difference of two traces. */
export function traceDiff(got: StepTrace, want: StepTrace): { loss: number; weight: number } {
  const loss = Math.max(...got.losses.map((l, i) => Math.abs(l - want.losses[i]) / Math.max(1, Math.abs(want.losses[i]))));
  const weight = Math.max(0, ...got.weights.map((w, i) => maxAbsDiff(w, want.weights[i])));
  return { loss, weight };
}
