// Global-norm clipping and the Adam/AdamW update over every parameter in one call. The caller
// lays out a table of 7 i32 per tensor: param, grad, m, v, out (byte offsets), length, decays (0/1).

const ENTRY: i32 = 7;

@inline
function field(table: usize, k: i32, f: i32): i32 {
  return load<i32>(table + (<usize>(k * ENTRY + f) << 2));
}

/** Σ g² over the gradients of the table's `count` tensors, in f64 across 1024-float chunks. */
export function sumSquares(table: usize, count: i32): f64 {
  let total: f64 = 0;
  for (let k = 0; k < count; k++) {
    const g = <usize>field(table, k, 1);
    const n = field(table, k, 5);
    const n4 = n & ~3;
    for (let start = 0; start < n4; start += 1024) {
      const end = min(start + 1024, n4);
      let acc = f32x4.splat(0);
      for (let i = start; i < end; i += 4) {
        const x = v128.load(g + (<usize>i << 2));
        acc = f32x4.add(acc, f32x4.mul(x, x));
      }
      total += <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
    }
    for (let i = n4; i < n; i++) {
      const x = <f64>load<f32>(g + (<usize>i << 2));
      total += x * x;
    }
  }
  return total;
}

/** One update: g' = g·gradScale (+ wd·p when coupled, i.e. adam); m, v moments; p' = p·(1 - lr·wd)
 *  (adamw, decoupled) - stepSize·m/(√(v·invBc2) + eps), written to `out`, where the caller passes
 *  stepSize = lr/(1 - b1^t) and invBc2 = 1/(1 - b2^t) (computed in f64). wd applies where decays = 1. */
export function adamStep(table: usize, count: i32, lr: f32, b1: f32, b2: f32, eps: f32, stepSize: f32, invBc2: f32, wd: f32, coupled: i32, gradScale: f32): void {
  for (let k = 0; k < count; k++) {
    const p = <usize>field(table, k, 0);
    const g = <usize>field(table, k, 1);
    const m = <usize>field(table, k, 2);
    const v = <usize>field(table, k, 3);
    const out = <usize>field(table, k, 4);
    const n = field(table, k, 5);
    const w: f32 = field(table, k, 6) != 0 ? wd : 0;
    const cw: f32 = coupled != 0 ? w : 0;
    const decay: f32 = coupled != 0 ? 1 : 1 - lr * w;
    const n4 = n & ~3;
    const sS = f32x4.splat(gradScale), sC = f32x4.splat(cw), sB1 = f32x4.splat(b1), sB1c = f32x4.splat(1 - b1);
    const sB2 = f32x4.splat(b2), sB2c = f32x4.splat(1 - b2), sD = f32x4.splat(decay), sLr = f32x4.splat(stepSize);
    const sBc2 = f32x4.splat(invBc2), sEps = f32x4.splat(eps);
    for (let i = 0; i < n4; i += 4) {
      const o = <usize>i << 2;
      const pi = v128.load(p + o);
      const gi = f32x4.add(f32x4.mul(v128.load(g + o), sS), f32x4.mul(sC, pi));
      const mi = f32x4.add(f32x4.mul(sB1, v128.load(m + o)), f32x4.mul(sB1c, gi));
      const vi = f32x4.add(f32x4.mul(sB2, v128.load(v + o)), f32x4.mul(sB2c, f32x4.mul(gi, gi)));
      v128.store(m + o, mi);
      v128.store(v + o, vi);
      v128.store(out + o, f32x4.sub(f32x4.mul(pi, sD), f32x4.div(f32x4.mul(sLr, mi), f32x4.add(f32x4.sqrt(f32x4.mul(vi, sBc2)), sEps))));
    }
    for (let i = n4; i < n; i++) {
      const o = <usize>i << 2;
      const pi = load<f32>(p + o);
      const gi = load<f32>(g + o) * gradScale + cw * pi;
      const mi = b1 * load<f32>(m + o) + (1 - b1) * gi;
      const vi = b2 * load<f32>(v + o) + (1 - b2) * gi * gi;
      store<f32>(m + o, mi);
      store<f32>(v + o, vi);
      store<f32>(out + o, pi * decay - (stepSize * mi) / (Mathf.sqrt(vi * invBc2) + eps));
    }
  }
}
