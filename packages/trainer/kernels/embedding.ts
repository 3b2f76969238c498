// Embedding lookup and its gradient (a scatter-add), rows of d floats.
import { at } from "./simd";

/** out[i] = table[ids[i]] for n ids (ids are i32, already checked to be in range). */
export function gatherRows(table: usize, ids: usize, out: usize, n: i32, d: i32): void {
  for (let i = 0; i < n; i++) memory.copy(out + at(i * d), table + at(load<i32>(ids + at(i)) * d), at(d));
}

/** out [rows, d] = 0, then out[ids[i]] += dy[i] for each of the n rows of dy. */
export function scatterAddRows(dy: usize, ids: usize, out: usize, n: i32, d: i32, rows: i32): void {
  memory.fill(out, 0, at(rows * d));
  const d4 = d & ~3;
  for (let i = 0; i < n; i++) {
    const dst = out + at(load<i32>(ids + at(i)) * d);
    const src = dy + at(i * d);
    for (let c = 0; c < d4; c += 4) v128.store(dst + at(c), f32x4.add(v128.load(dst + at(c)), v128.load(src + at(c))));
    for (let c = d4; c < d; c++) store<f32>(dst + at(c), load<f32>(dst + at(c)) + load<f32>(src + at(c)));
  }
}
