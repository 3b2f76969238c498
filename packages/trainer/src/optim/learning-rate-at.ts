import type { LrSchedulerType } from "../types";

/** Learning rate for optimizer step `step` (0-based) of `total`: linear warmup over
 *  ceil(warmup_ratio·total) steps to `base`, then constant, linear decay to 0, or half-cosine to 0. */
export function learningRateAt(step: number, total: number, base: number, type: LrSchedulerType, warmupRatio: number): number {
  const warmup = Math.ceil(warmupRatio * total);
  if (step < warmup) return (base * (step + 1)) / warmup;
  if (type === "constant") return base;
  const progress = Math.min(1, (step - warmup) / Math.max(1, total - warmup));
  if (type === "linear") return base * (1 - progress);
  return base * 0.5 * (1 + Math.cos(Math.PI * progress));
}
