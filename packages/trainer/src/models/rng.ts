// Seeded sampling so model init, dropout masks and batching are reproducible on every backend.
// The generator is @finetrack/analysis's mulberry32 (one home for the RNG): the same stream the
// trainer's own copy produced, so zoo models and seeded runs are unchanged.
import { createRng, shuffleInPlace } from "@finetrack/analysis";

export { createRng };

/** Standard normal samples (Box-Muller) scaled by `std`. */
export function normalArray(rng: () => number, n: number, std: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(rng(), 1e-12);
    const v = rng();
    const r = Math.sqrt(-2 * Math.log(u)) * std;
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/** Uniform samples in [-bound, bound]. */
export function uniformArray(rng: () => number, n: number, bound: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (rng() * 2 - 1) * bound;
  return out;
}

/** Fisher-Yates shuffle of 0..n-1. */
export function shuffledIndices(rng: () => number, n: number): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(rng, idx);
  return idx;
}

/** Stable 32-bit hash of a string, to derive sub-seeds from names. */
export function hashSeed(seed: number, name: string): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
