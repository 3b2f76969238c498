// 2-D transpose in 4×4 blocks of SIMD shuffles (tfjs-wasm's Transpose walks one float at a time).
import { at } from "./simd";

// A tile is ROWS source rows by COLS source columns: COLS destination rows are written at once, and
// with power-of-two widths those rows are 4 KB apart, in one L1 set: few of them, or they evict each other.
const ROWS: i32 = 64;
const COLS: i32 = 8;

/** out [d, n] = xᵀ for x [n, d], tile by tile. */
export function transpose2d(x: usize, out: usize, n: i32, d: i32): void {
  const n4 = n & ~3;
  const d4 = d & ~3;
  for (let r0 = 0; r0 < n4; r0 += ROWS) {
    const r1 = min(r0 + ROWS, n4);
    for (let c0 = 0; c0 < d4; c0 += COLS) {
      const c1 = min(c0 + COLS, d4);
      for (let r = r0; r < r1; r += 4) {
        const s0 = x + at(r * d);
        const s1 = s0 + at(d);
        const s2 = s1 + at(d);
        const s3 = s2 + at(d);
        for (let c = c0; c < c1; c += 4) {
          const o = at(c);
          const a0 = v128.load(s0 + o), a1 = v128.load(s1 + o), a2 = v128.load(s2 + o), a3 = v128.load(s3 + o);
          const t0 = v128.shuffle<f32>(a0, a1, 0, 4, 1, 5);
          const t1 = v128.shuffle<f32>(a0, a1, 2, 6, 3, 7);
          const t2 = v128.shuffle<f32>(a2, a3, 0, 4, 1, 5);
          const t3 = v128.shuffle<f32>(a2, a3, 2, 6, 3, 7);
          const dst = out + at(c * n + r);
          v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
          v128.store(dst + at(n), v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
          v128.store(dst + at(2 * n), v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
          v128.store(dst + at(3 * n), v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
        }
      }
    }
    for (let r = r0; r < r1; r++) for (let c = d4; c < d; c++) store<f32>(out + at(c * n + r), load<f32>(x + at(r * d + c)));
  }
  for (let r = n4; r < n; r++) for (let c = 0; c < d; c++) store<f32>(out + at(c * n + r), load<f32>(x + at(r * d + c)));
}
