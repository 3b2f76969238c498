// Typed wrapper over tf.customGrad (its own typing mixes the save function into the inputs).
import * as tf from "@tensorflow/tfjs-core";

export type OpBody = (
  inputs: tf.Tensor[],
  save: tf.GradSaveFunc,
) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[] };

/** Runs `body` as one tape node whose gradient is `gradFunc` (one gradient per input). */
export function customOp<T extends tf.Tensor>(body: OpBody, ...inputs: tf.Tensor[]): T {
  const f = tf.customGrad(((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    return body(args as tf.Tensor[], save);
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(...inputs) as T;
}
