// Knowledge distillation (Hinton et al. 2015): α·T²·KL(teacher_T ‖ student_T) + (1 − α)·CE(labels).
// The T² factor keeps the soft-target gradients on the same scale as the hard-label ones.
import * as tf from "@tensorflow/tfjs-core";
import { maskedCrossEntropy } from "../layers/cross-entropy";

export interface DistillationParams {
  temperature: number;
  alpha: number;
}

export function checkDistillationParams(p: DistillationParams): void {
  if (!(p.temperature > 0)) throw new Error(`distill.temperature: expected a positive number, got ${JSON.stringify(p.temperature)}`);
  if (!(p.alpha >= 0 && p.alpha <= 1)) throw new Error(`distill.alpha: expected a number in [0, 1], got ${JSON.stringify(p.alpha)}`);
}

/** Loss over rows of logits [n, classes]; `weights` select the rows that count (response tokens)
 *  and both terms are averaged over them, like the trainer's masked cross-entropy. */
export function distillationLoss(student: tf.Tensor2D, teacher: tf.Tensor2D, targets: Int32Array, weights: Float32Array, p: DistillationParams): tf.Scalar {
  checkDistillationParams(p);
  const { temperature: T, alpha } = p;
  let total = 0;
  for (const w of weights) total += w;
  const denom = Math.max(total, 1);
  const ce = maskedCrossEntropy(student, targets, weights);
  if (alpha === 0) return ce;
  const logPt = tf.logSoftmax(tf.div(teacher, T));
  const logPs = tf.logSoftmax(tf.div(student, T));
  const klRows = tf.sum(tf.mul(tf.exp(logPt), tf.sub(logPt, logPs)), -1);
  const kl = tf.div(tf.sum(tf.mul(klRows, tf.tensor1d(weights))), denom);
  return tf.add(tf.mul(kl, alpha * T * T), tf.mul(ce, 1 - alpha)) as tf.Scalar;
}
