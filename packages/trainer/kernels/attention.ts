// Causal multi-head attention forward and backward in WebAssembly SIMD (AssemblyScript).
// Built by `npm run build:kernels -w packages/trainer` into attention.wasm, which
// src/layers/wasm-attention.ts loads. q, k, v, o and their gradients are [b·t, heads·hd] row-major
// (heads side by side in each row, as the dense layers produce them); P is [b·heads, t, t] with
// only the lower triangle written. All pointers are byte offsets into this module's memory, laid
// out by the caller; hd is a multiple of 4.

/** First byte the caller may use for its buffers. */
export function heapBase(): usize {
  return __heap_base;
}

@inline
function hsum(a: v128): f32 {
  return f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3);
}

@inline
function dot(a: usize, b: usize, hd: i32): f32 {
  let acc = f32x4.splat(0);
  for (let c = 0; c < hd; c += 4) {
    const o = <usize>(c << 2);
    acc = f32x4.add(acc, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  return hsum(acc);
}

/** y += s·x over hd floats. */
@inline
function axpy(y: usize, x: usize, s: f32, hd: i32): void {
  const sv = f32x4.splat(s);
  for (let c = 0; c < hd; c += 4) {
    const o = <usize>(c << 2);
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(sv, v128.load(x + o))));
  }
}

/** O = softmax(QKᵀ/√hd, causal)·V; P keeps the probabilities for the backward pass. */
export function attendForward(q: usize, k: usize, v: usize, o: usize, p: usize, b: i32, t: i32, heads: i32, hd: i32): void {
  const d = heads * hd;
  const scale: f32 = 1.0 / Mathf.sqrt(<f32>hd);
  memory.fill(o, 0, <usize>(b * t * d) << 2);
  for (let s = 0; s < b; s++) {
    for (let h = 0; h < heads; h++) {
      const pBase = p + (<usize>((s * heads + h) * t * t) << 2);
      for (let i = 0; i < t; i++) {
        const rowI = <usize>(((s * t + i) * d + h * hd) << 2);
        const pRow = pBase + (<usize>(i * t) << 2);
        let max: f32 = -Infinity;
        for (let j = 0; j <= i; j++) {
          const rowJ = <usize>(((s * t + j) * d + h * hd) << 2);
          const x = dot(q + rowI, k + rowJ, hd) * scale;
          store<f32>(pRow + (<usize>j << 2), x);
          if (x > max) max = x;
        }
        let sum: f32 = 0;
        for (let j = 0; j <= i; j++) {
          const e = Mathf.exp(load<f32>(pRow + (<usize>j << 2)) - max);
          store<f32>(pRow + (<usize>j << 2), e);
          sum += e;
        }
        const inv: f32 = 1.0 / sum;
        for (let j = 0; j <= i; j++) {
          const pij = load<f32>(pRow + (<usize>j << 2)) * inv;
          store<f32>(pRow + (<usize>j << 2), pij);
          axpy(o + rowI, v + (<usize>(((s * t + j) * d + h * hd) << 2)), pij, hd);
        }
      }
    }
  }
}

/** dQ, dK, dV for upstream dO, given the inputs and P of attendForward; `dp` is t floats of scratch. */
export function attendBackward(dO: usize, q: usize, k: usize, v: usize, p: usize, dq: usize, dk: usize, dv: usize, dp: usize, b: i32, t: i32, heads: i32, hd: i32): void {
  const d = heads * hd;
  const scale: f32 = 1.0 / Mathf.sqrt(<f32>hd);
  const bytes = <usize>(b * t * d) << 2;
  memory.fill(dq, 0, bytes);
  memory.fill(dk, 0, bytes);
  memory.fill(dv, 0, bytes);
  for (let s = 0; s < b; s++) {
    for (let h = 0; h < heads; h++) {
      const pBase = p + (<usize>((s * heads + h) * t * t) << 2);
      for (let i = 0; i < t; i++) {
        const rowI = <usize>(((s * t + i) * d + h * hd) << 2);
        const pRow = pBase + (<usize>(i * t) << 2);
        // dP_ij = dO_i · v_j ;  dV_j += P_ij · dO_i
        let total: f32 = 0;
        for (let j = 0; j <= i; j++) {
          const rowJ = <usize>(((s * t + j) * d + h * hd) << 2);
          const pij = load<f32>(pRow + (<usize>j << 2));
          const g = dot(dO + rowI, v + rowJ, hd);
          axpy(dv + rowJ, dO + rowI, pij, hd);
          store<f32>(dp + (<usize>j << 2), g);
          total += pij * g;
        }
        // dS_ij = P_ij (dP_ij - Σ_j P_ij dP_ij) / √hd ;  dQ_i += dS_ij k_j ;  dK_j += dS_ij q_i
        for (let j = 0; j <= i; j++) {
          const rowJ = <usize>(((s * t + j) * d + h * hd) << 2);
          const ds = load<f32>(pRow + (<usize>j << 2)) * (load<f32>(dp + (<usize>j << 2)) - total) * scale;
          axpy(dq + rowI, k + rowJ, ds, hd);
          axpy(dk + rowJ, q + rowI, ds, hd);
        }
      }
    }
  }
}
