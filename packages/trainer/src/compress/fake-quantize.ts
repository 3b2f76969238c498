// Fake quantization for quantization-aware training: the forward pass sees quantize→dequantize
// values, the backward pass is the straight-through estimator (Bengio et al. 2013; Jacob et al.
// 2018): gradient 1 where the value fell inside the integer range, 0 where it was clamped.
import * as tf from "@tensorflow/tfjs-core";
import { customOp } from "../layers/custom-op";

/** x̂ = (clamp(round(x/s) + z, qmin, qmax) − z)·s with `scale` / `zeroPoint` broadcastable to x
 *  (a scalar per tensor, [1, out] per output channel). Scale and zero point get no gradient. */
export function fakeQuantize(x: tf.Tensor, scale: tf.Tensor, zeroPoint: tf.Tensor, qmin: number, qmax: number): tf.Tensor {
  return customOp<tf.Tensor>(([xi, s, z], save) => {
    // tf.round rounds halves to even, as torch.fake_quantize does.
    const q = tf.add(tf.round(tf.div(xi, s)), z);
    const inside = tf.cast(tf.logicalAnd(tf.greaterEqual(q, qmin), tf.lessEqual(q, qmax)), "float32");
    save([inside]);
    return {
      value: tf.mul(tf.sub(tf.clipByValue(q, qmin, qmax), z), s),
      gradFunc: (dy: tf.Tensor, [m]: tf.Tensor[]) => [tf.mul(dy, m), tf.zerosLike(s), tf.zerosLike(z)],
    };
  }, x, scale, zeroPoint);
}
