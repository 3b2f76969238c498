// Shared SIMD helpers for the kernels (AssemblyScript, f32x4).

/** e^x for four lanes: Cody-Waite range reduction to r in [-ln2/2, ln2/2] and Cephes' degree-6
 *  expf polynomial (about 1 ulp), scaled by 2^k through the exponent bits. x is clamped to
 *  [-87, 88], so the result is a normal float (underflow gives ~1e-38, not 0). */
@inline
export function exp4(x: v128): v128 {
  x = f32x4.max(f32x4.min(x, f32x4.splat(88.0)), f32x4.splat(-87.0));
  const kf = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(kf, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(kf, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1.0));
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(kf), i32x4.splat(127)), 23);
  return f32x4.mul(y, pow2);
}

/** tanh for four lanes as 1 - 2/(e^{2u} + 1): absolute error ~1e-7, exact limits ±1. */
@inline
export function tanh4(u: v128): v128 {
  const e = exp4(f32x4.add(u, u));
  return f32x4.sub(f32x4.splat(1.0), f32x4.div(f32x4.splat(2.0), f32x4.add(e, f32x4.splat(1.0))));
}

@inline
export function hsum(a: v128): f32 {
  return f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3);
}

@inline
export function hmax(a: v128): f32 {
  return max(max(f32x4.extract_lane(a, 0), f32x4.extract_lane(a, 1)), max(f32x4.extract_lane(a, 2), f32x4.extract_lane(a, 3)));
}

/** Byte offset of float i. */
@inline
export function at(i: i32): usize {
  return <usize>i << 2;
}
