// LayerNorm over rows of d floats (d a multiple of 4), optionally fused with the residual add
// before it, and the column sums of bias gradients.
import { at, hsum } from "./simd";

/** s = x + a (when a != 0; else s = x, and s may be 0), y = (s - mean)·rstd·g + b per row of
 *  [n, d]; keeps mean and rstd ([n]) for the backward pass. */
export function layerNormForward(x: usize, a: usize, s: usize, g: usize, b: usize, y: usize, mean: usize, rstd: usize, n: i32, d: i32, eps: f32): void {
  const inv: f32 = 1.0 / <f32>d;
  for (let r = 0; r < n; r++) {
    const row = at(r * d);
    let src = x + row;
    if (a != 0) {
      for (let c = 0; c < d; c += 4) v128.store(s + row + at(c), f32x4.add(v128.load(x + row + at(c)), v128.load(a + row + at(c))));
      src = s + row;
    }
    let acc = f32x4.splat(0);
    for (let c = 0; c < d; c += 4) acc = f32x4.add(acc, v128.load(src + at(c)));
    const m = hsum(acc) * inv;
    const mv = f32x4.splat(m);
    acc = f32x4.splat(0);
    for (let c = 0; c < d; c += 4) {
      const xc = f32x4.sub(v128.load(src + at(c)), mv);
      acc = f32x4.add(acc, f32x4.mul(xc, xc));
    }
    const rs: f32 = 1.0 / Mathf.sqrt(hsum(acc) * inv + eps);
    const rv = f32x4.splat(rs);
    for (let c = 0; c < d; c += 4) {
      const xh = f32x4.mul(f32x4.sub(v128.load(src + at(c)), mv), rv);
      v128.store(y + row + at(c), f32x4.add(f32x4.mul(xh, v128.load(g + at(c))), v128.load(b + at(c))));
    }
    store<f32>(mean + at(r), m);
    store<f32>(rstd + at(r), rs);
  }
}

/** dx = rstd·(dŷ - mean(dŷ) - x̂·mean(dŷ·x̂)) (+ dres when dres != 0) with dŷ = dy·g;
 *  dg = Σ_rows dy·x̂, db = Σ_rows dy. x is the normalised input (s of the forward pass). */
export function layerNormBackward(dy: usize, x: usize, g: usize, mean: usize, rstd: usize, dres: usize, dx: usize, dg: usize, db: usize, n: i32, d: i32): void {
  const inv: f32 = 1.0 / <f32>d;
  memory.fill(dg, 0, at(d));
  memory.fill(db, 0, at(d));
  for (let r = 0; r < n; r++) {
    const row = at(r * d);
    const mv = f32x4.splat(load<f32>(mean + at(r)));
    const rs = load<f32>(rstd + at(r));
    const rv = f32x4.splat(rs);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    for (let c = 0; c < d; c += 4) {
      const o = at(c);
      const xh = f32x4.mul(f32x4.sub(v128.load(x + row + o), mv), rv);
      const gy = v128.load(dy + row + o);
      const dxh = f32x4.mul(gy, v128.load(g + o));
      a1 = f32x4.add(a1, dxh);
      a2 = f32x4.add(a2, f32x4.mul(dxh, xh));
      v128.store(dg + o, f32x4.add(v128.load(dg + o), f32x4.mul(gy, xh)));
      v128.store(db + o, f32x4.add(v128.load(db + o), gy));
    }
    const m1 = f32x4.splat(hsum(a1) * inv);
    const m2 = f32x4.splat(hsum(a2) * inv);
    for (let c = 0; c < d; c += 4) {
      const o = at(c);
      const xh = f32x4.mul(f32x4.sub(v128.load(x + row + o), mv), rv);
      const dxh = f32x4.mul(v128.load(dy + row + o), v128.load(g + o));
      let out = f32x4.mul(f32x4.sub(f32x4.sub(dxh, m1), f32x4.mul(xh, m2)), rv);
      if (dres != 0) out = f32x4.add(out, v128.load(dres + row + o));
      v128.store(dx + row + o, out);
    }
  }
}

/** out[c] = Σ_r x[r, c] for x [n, d] (any d). */
export function columnSums(x: usize, out: usize, n: i32, d: i32): void {
  memory.fill(out, 0, at(d));
  const d4 = d & ~3;
  for (let r = 0; r < n; r++) {
    const row = x + at(r * d);
    for (let c = 0; c < d4; c += 4) v128.store(out + at(c), f32x4.add(v128.load(out + at(c)), v128.load(row + at(c))));
    for (let c = d4; c < d; c++) store<f32>(out + at(c), load<f32>(out + at(c)) + load<f32>(row + at(c)));
  }
}
