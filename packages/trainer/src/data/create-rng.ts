// One seeded generator for the whole trainer (init, batching, splits, augmentation).
import { shuffleInPlace } from "@finetrack/analysis";
import { createRng } from "../models/rng";

export { createRng };

/** Fisher-Yates shuffle of a copy, driven by `rng`. */
export function shuffleWith<T>(items: readonly T[], rng: () => number): T[] {
  const out = items.slice();
  shuffleInPlace(rng, out);
  return out;
}

/** Integer in [lo, hi] inclusive. */
export function randInt(rng: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

export function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}
