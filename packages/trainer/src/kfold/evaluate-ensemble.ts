import * as tf from "@tensorflow/tfjs-core";
import { forwardLm, forwardMlp, type ForwardContext } from "../models/forward";
import { PAD_ID } from "../tokenizer/byte-tokenizer";
import type { ClassifierExample, EvalResult, Example, LmExample, LoadedModel } from "../types";

/** Evaluates the average predictive distribution of several models (the k fold models): loss is the
 *  cross-entropy of the averaged probabilities, accuracy its arg-max (tokens under the loss mask for
 *  language models, examples for classifiers). */
export function evaluateEnsemble(models: readonly LoadedModel[], examples: readonly Example[], batchSize = 32): EvalResult {
  if (models.length === 0) throw new Error("evaluateEnsemble: expected at least one model");
  const ctx: ForwardContext = { training: false, dropout: 0, seed: 0, trainable: new Set() };
  let nll = 0;
  let correct = 0;
  let count = 0;
  for (let start = 0; start < examples.length; start += batchSize) {
    const batch = examples.slice(start, start + batchSize);
    const { probs, targets, weights } = tf.tidy(() => {
      if ("features" in batch[0]) {
        const cls = batch as ClassifierExample[];
        const x = tf.tensor2d(cls.map((e) => e.features));
        const p = tf.div(tf.addN(models.map((m) => tf.softmax(forwardMlp(m, x, ctx)))), models.length);
        return { probs: p.arraySync() as number[][], targets: cls.map((e) => e.label), weights: cls.map(() => 1) };
      }
      const lm = batch as LmExample[];
      const t = Math.max(...lm.map((e) => e.input.length));
      const ids = new Int32Array(lm.length * t).fill(PAD_ID);
      const targets: number[] = [];
      const weights: number[] = [];
      lm.forEach((e, i) => {
        ids.set(e.input, i * t);
        for (let j = 0; j < t; j++) {
          targets.push(j < e.target.length ? e.target[j] : PAD_ID);
          weights.push(j < e.target.length ? (e.lossMask?.[j] ?? 1) : 0);
        }
      });
      const p = tf.div(tf.addN(models.map((m) => tf.softmax(forwardLm(m, ids, lm.length, t, ctx)))), models.length);
      return { probs: p.arraySync() as number[][], targets, weights };
    });
    probs.forEach((row, i) => {
      if (!weights[i]) return;
      const y = targets[i];
      nll -= Math.log(Math.max(row[y], 1e-12));
      let arg = 0;
      for (let c = 1; c < row.length; c++) if (row[c] > row[arg]) arg = c;
      if (arg === y) correct++;
      count++;
    });
  }
  const loss = count ? nll / count : NaN;
  return { loss, perplexity: Math.exp(loss), accuracy: count ? correct / count : NaN, tokens: count };
}
