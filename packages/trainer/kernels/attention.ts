// Causal multi-head attention forward and backward (AssemblyScript, WASM SIMD). q, k, v, o and
// their gradients are [b·t, heads·hd] row-major (heads side by side in each row, as the dense layers
// produce them); hd is a multiple of 4. P is [b·heads, t, tp] with tp = t rounded up to 4; only the
// lower triangle (and zeros up to the end of its last 4-block) is written. Scores and dP are computed
// eight keys at a time against a transposed copy of the head's K (or V) in `kt` ([hd, tp] scratch),
// so no dot product needs a horizontal sum; every sum over keys or queries keeps eight floats of the
// output in registers. Softmax uses the SIMD exp.
import { at, exp4, hmax, hsum } from "./simd";

@inline
function padded(t: i32): i32 {
  return (t + 3) & ~3;
}

/** kt[c, j] = x[s·t + j, h·hd + c] for the head, zero past t. */
function transposeHead(x: usize, kt: usize, s: i32, h: i32, t: i32, d: i32, hd: i32): void {
  const tp = padded(t);
  memory.fill(kt, 0, at(hd * tp));
  for (let j = 0; j < t; j++) {
    const row = x + at((s * t + j) * d + h * hd);
    for (let c = 0; c < hd; c++) store<f32>(kt + at(c * tp + j), load<f32>(row + at(c)));
  }
}

/** Lanes j..j+3 that are ≤ i (all ones) or above the diagonal (zero). */
@inline
function causal(j: i32, i: i32): v128 {
  return i32x4.le_s(i32x4.add(i32x4.splat(j), i32x4(0, 1, 2, 3)), i32x4.splat(i));
}

/** out[i, 0..hd) = Σ_{j ∈ [j0, j1)} w[j·wStride] · rows[j·rowStride + 0..hd) (floats), eight floats of
 *  the output at a time in two registers (then a last four), so each weight is splat once per eight. */
@inline
function weightedRows(out: usize, w: usize, wStride: i32, rows: usize, rowStride: i32, j0: i32, j1: i32, hd: i32): void {
  let c = 0;
  for (; c + 8 <= hd; c += 8) {
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    for (let j = j0; j < j1; j++) {
      const s = f32x4.splat(load<f32>(w + at(j * wStride)));
      const r = rows + at(j * rowStride + c);
      a0 = f32x4.add(a0, f32x4.mul(s, v128.load(r)));
      a1 = f32x4.add(a1, f32x4.mul(s, v128.load(r + 16)));
    }
    v128.store(out + at(c), a0);
    v128.store(out + at(c + 4), a1);
  }
  if (c < hd) {
    let acc = f32x4.splat(0);
    for (let j = j0; j < j1; j++) acc = f32x4.add(acc, f32x4.mul(f32x4.splat(load<f32>(w + at(j * wStride))), v128.load(rows + at(j * rowStride + c))));
    v128.store(out + at(c), acc);
  }
}

/** Writes row · kt[:, jb·4 .. jb·4+8) (two 4-key blocks; the second only when `two`) into dst. */
@inline
function scores(dst: usize, row: usize, kt: usize, tp: i32, jb: i32, two: bool, hd: i32): void {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  const col = kt + at(jb * 4);
  if (two) {
    for (let c = 0; c < hd; c++) {
      const s = f32x4.splat(load<f32>(row + at(c)));
      const k = col + at(c * tp);
      a0 = f32x4.add(a0, f32x4.mul(s, v128.load(k)));
      a1 = f32x4.add(a1, f32x4.mul(s, v128.load(k + 16)));
    }
    v128.store(dst + 16, a1);
  } else {
    for (let c = 0; c < hd; c++) a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(load<f32>(row + at(c))), v128.load(col + at(c * tp))));
  }
  v128.store(dst, a0);
}

/** O = softmax(QKᵀ/√hd, causal)·V; P keeps the probabilities for the backward pass. */
export function attendForward(q: usize, k: usize, v: usize, o: usize, p: usize, kt: usize, b: i32, t: i32, heads: i32, hd: i32): void {
  const d = heads * hd;
  const tp = padded(t);
  const scale = f32x4.splat(1.0 / Mathf.sqrt(<f32>hd));
  for (let s = 0; s < b; s++) {
    for (let h = 0; h < heads; h++) {
      transposeHead(k, kt, s, h, t, d, hd);
      const pBase = p + at((s * heads + h) * t * tp);
      for (let i = 0; i < t; i++) {
        const qi = q + at((s * t + i) * d + h * hd);
        const pRow = pBase + at(i * tp);
        const blocks = (i >> 2) + 1;
        for (let jb = 0; jb < blocks; jb += 2) scores(pRow + at(jb * 4), qi, kt, tp, jb, jb + 1 < blocks, hd);
        let mv = f32x4.splat(-Infinity);
        for (let jb = 0; jb < blocks; jb++) {
          const x = v128.bitselect(f32x4.mul(v128.load(pRow + at(jb * 4)), scale), f32x4.splat(-Infinity), causal(jb * 4, i));
          v128.store(pRow + at(jb * 4), x);
          mv = f32x4.max(mv, x);
        }
        const m = f32x4.splat(hmax(mv));
        let sv = f32x4.splat(0);
        for (let jb = 0; jb < blocks; jb++) {
          const e = v128.bitselect(exp4(f32x4.sub(v128.load(pRow + at(jb * 4)), m)), f32x4.splat(0), causal(jb * 4, i));
          v128.store(pRow + at(jb * 4), e);
          sv = f32x4.add(sv, e);
        }
        const inv = f32x4.splat(1.0 / hsum(sv));
        for (let jb = 0; jb < blocks; jb++) v128.store(pRow + at(jb * 4), f32x4.mul(v128.load(pRow + at(jb * 4)), inv));
        weightedRows(o + at((s * t + i) * d + h * hd), pRow, 1, v + at(s * t * d + h * hd), d, 0, i + 1, hd);
      }
    }
  }
}

/** dQ, dK, dV for upstream dO, given the inputs and P of attendForward; `kt` is [hd, tp] and `ds`
 *  [t, tp] scratch. */
export function attendBackward(dO: usize, q: usize, k: usize, v: usize, p: usize, dq: usize, dk: usize, dv: usize, kt: usize, ds: usize, b: i32, t: i32, heads: i32, hd: i32): void {
  const d = heads * hd;
  const tp = padded(t);
  const scale = f32x4.splat(1.0 / Mathf.sqrt(<f32>hd));
  for (let s = 0; s < b; s++) {
    for (let h = 0; h < heads; h++) {
      transposeHead(v, kt, s, h, t, d, hd);
      const pBase = p + at((s * heads + h) * t * tp);
      const off = at(s * t * d + h * hd);
      for (let i = 0; i < t; i++) {
        const gi = dO + off + at(i * d);
        const pRow = pBase + at(i * tp);
        const dsRow = ds + at(i * tp);
        const blocks = (i >> 2) + 1;
        // dP_ij = dO_i · v_j, and Σ_j P_ij dP_ij
        for (let jb = 0; jb < blocks; jb += 2) scores(dsRow + at(jb * 4), gi, kt, tp, jb, jb + 1 < blocks, hd);
        let tot = f32x4.splat(0);
        for (let jb = 0; jb < blocks; jb++) tot = f32x4.add(tot, f32x4.mul(v128.load(dsRow + at(jb * 4)), v128.load(pRow + at(jb * 4))));
        // dS_ij = P_ij (dP_ij - Σ_j P_ij dP_ij) / √hd (zero above the diagonal, where P is)
        const total = f32x4.splat(hsum(tot));
        for (let jb = 0; jb < blocks; jb++) {
          const x = v128.load(dsRow + at(jb * 4));
          v128.store(dsRow + at(jb * 4), f32x4.mul(f32x4.mul(v128.load(pRow + at(jb * 4)), f32x4.sub(x, total)), scale));
        }
        // dQ_i = Σ_{j ≤ i} dS_ij k_j
        weightedRows(dq + off + at(i * d), dsRow, 1, k + off, d, 0, i + 1, hd);
      }
      // dK_j = Σ_{i ≥ j} dS_ij q_i ;  dV_j = Σ_{i ≥ j} P_ij dO_i
      for (let j = 0; j < t; j++) {
        weightedRows(dk + off + at(j * d), ds + at(j), tp, q + off, d, j, t, hd);
        weightedRows(dv + off + at(j * d), pBase + at(j), tp, dO + off, d, j, t, hd);
      }
    }
  }
}
