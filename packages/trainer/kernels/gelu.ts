// GELU, tanh approximation (GPT-2; torch's approximate="tanh"), forward and backward in one pass each.
import { at, tanh4 } from "./simd";

const C: f32 = 0.7978845608028654; // sqrt(2/π)
const A: f32 = 0.044715;

@inline
function inner(x: v128): v128 {
  return f32x4.mul(f32x4.mul(x, f32x4.add(f32x4.mul(f32x4.mul(x, x), f32x4.splat(A)), f32x4.splat(1.0))), f32x4.splat(C));
}

@inline
function value(x: v128): v128 {
  return f32x4.mul(f32x4.mul(x, f32x4.splat(0.5)), f32x4.add(tanh4(inner(x)), f32x4.splat(1.0)));
}

/** dy · d/dx: 0.5(1+t) + 0.5x(1-t²)·C(1+3A·x²). */
@inline
function grad(x: v128, dy: v128): v128 {
  const t = tanh4(inner(x));
  const half = f32x4.splat(0.5);
  const sech2 = f32x4.sub(f32x4.splat(1.0), f32x4.mul(t, t));
  const du = f32x4.mul(f32x4.add(f32x4.mul(f32x4.mul(x, x), f32x4.splat(3.0 * A)), f32x4.splat(1.0)), f32x4.splat(C));
  const dv = f32x4.add(f32x4.mul(f32x4.add(t, f32x4.splat(1.0)), half), f32x4.mul(f32x4.mul(f32x4.mul(x, half), sech2), du));
  return f32x4.mul(dy, dv);
}

export function geluForward(x: usize, y: usize, n: i32): void {
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) v128.store(y + at(i), value(v128.load(x + at(i))));
  for (let i = n4; i < n; i++) store<f32>(y + at(i), f32x4.extract_lane(value(f32x4.splat(load<f32>(x + at(i)))), 0));
}

export function geluBackward(dy: usize, x: usize, dx: usize, n: i32): void {
  const n4 = n & ~3;
  for (let i = 0; i < n4; i += 4) v128.store(dx + at(i), grad(v128.load(x + at(i)), v128.load(dy + at(i))));
  for (let i = n4; i < n; i++) store<f32>(dx + at(i), f32x4.extract_lane(grad(f32x4.splat(load<f32>(x + at(i))), f32x4.splat(load<f32>(dy + at(i)))), 0));
}
