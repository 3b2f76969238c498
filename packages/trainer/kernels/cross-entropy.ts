// Masked softmax cross-entropy: the loss and its gradient in one pass over the logits.
import { at, exp4, hmax, hsum } from "./simd";

/** Gradient of Σ_i w_i·(logsumexp(z_i) - z_i[y_i]) / denom for z [n, v] into grad:
 *  (softmax(z_i) - onehot(y_i))·w_i/denom. A target outside [0, v) has no one-hot (no loss, as
 *  tf.oneHot gives an all-zero row). For the loss, rows [n, 2] gets each row's Σ exp(z - max) and
 *  z[y] - max (1 and 0 without a target, so its loss log(1) - 0 is 0): the caller takes the logs (the module links no log table). */
export function crossEntropy(z: usize, targets: usize, w: usize, grad: usize, rows: usize, n: i32, v: i32, denom: f32): void {
  const v4 = v & ~3;
  for (let r = 0; r < n; r++) {
    const row = z + at(r * v);
    const gRow = grad + at(r * v);
    let mv = f32x4.splat(-Infinity);
    for (let j = 0; j < v4; j += 4) mv = f32x4.max(mv, v128.load(row + at(j)));
    let m = hmax(mv);
    for (let j = v4; j < v; j++) m = max(m, load<f32>(row + at(j)));
    const ms = f32x4.splat(m);
    // e = exp(z - max) goes to grad first; it is rescaled in place below.
    let acc = f32x4.splat(0);
    for (let j = 0; j < v4; j += 4) {
      const e = exp4(f32x4.sub(v128.load(row + at(j)), ms));
      v128.store(gRow + at(j), e);
      acc = f32x4.add(acc, e);
    }
    let sum = hsum(acc);
    for (let j = v4; j < v; j++) {
      const e = f32x4.extract_lane(exp4(f32x4.splat(load<f32>(row + at(j)) - m)), 0);
      store<f32>(gRow + at(j), e);
      sum += e;
    }
    const wr = load<f32>(w + at(r));
    const scale: f32 = wr / denom;
    const sv = f32x4.splat(scale / sum);
    for (let j = 0; j < v4; j += 4) v128.store(gRow + at(j), f32x4.mul(v128.load(gRow + at(j)), sv));
    for (let j = v4; j < v; j++) store<f32>(gRow + at(j), load<f32>(gRow + at(j)) * (scale / sum));
    const y = load<i32>(targets + at(r));
    store<f32>(rows + at(2 * r), 1);
    store<f32>(rows + at(2 * r + 1), 0);
    if (y >= 0 && y < v) {
      store<f32>(rows + at(2 * r), sum);
      store<f32>(rows + at(2 * r + 1), load<f32>(row + at(y)) - m);
      store<f32>(gRow + at(y), load<f32>(gRow + at(y)) - scale);
    }
  }
}
