import * as tf from "@tensorflow/tfjs-core";
import type { LoadedModel } from "../types";
import { forwardLm, forwardMlp, type ForwardContext } from "../models/forward";

const inference = (): ForwardContext => ({ training: false, dropout: 0, seed: 0, trainable: new Set() });

/** Greedy decoding (temperature 0) until `maxNewTokens` or `stopToken`; returns only the new tokens.
 *  The window slides when prompt + output exceed the context. */
export function generateTokens(model: LoadedModel, prompt: number[], maxNewTokens: number, stopToken?: number): number[] {
  if (model.config.family !== "transformer") throw new Error(`generateTokens: model '${model.name}' is not a language model`);
  if (prompt.length === 0) throw new Error("generateTokens: prompt is empty");
  const ctxLen = model.config.contextLength;
  const seq = [...prompt];
  const out: number[] = [];
  for (let i = 0; i < maxNewTokens; i++) {
    const window = seq.slice(-ctxLen);
    const next = tf.tidy(() => {
      const logits = forwardLm(model, Int32Array.from(window), 1, window.length, inference());
      return tf.argMax(tf.slice(logits, [window.length - 1, 0], [1, -1]), -1).dataSync()[0];
    });
    if (next === stopToken) break;
    out.push(next);
    seq.push(next);
  }
  return out;
}

/** argmax class per feature row (MLP family). */
export function predictClasses(model: LoadedModel, features: number[][]): number[] {
  if (model.config.family !== "mlp") throw new Error(`predictClasses: model '${model.name}' is not an MLP`);
  const dim = model.config.inputDim;
  return tf.tidy(() => {
    const x = tf.tensor2d(features.flat(), [features.length, dim]);
    return Array.from(tf.argMax(forwardMlp(model, x, inference()), -1).dataSync());
  });
}
