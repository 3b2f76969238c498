// Gradual pruning schedule of Zhu & Gupta (2017), as in TF Model Optimization's PolynomialDecay
// with power 3: s_t = s_f + (s_i − s_f)·(1 − (t − t0)/(t_end − t0))³, pruning every Δt steps.
import { PruningSchedule } from "../config/compress-config";

export { PruningSchedule };

export function checkSchedule(s: PruningSchedule): void {
  if (s.end_step <= s.begin_step) throw new Error(`schedule.end_step: expected > begin_step (${s.begin_step}), got ${s.end_step}`);
  if (s.final_sparsity < s.initial_sparsity) throw new Error(`schedule.final_sparsity: expected >= initial_sparsity (${s.initial_sparsity}), got ${s.final_sparsity}`);
}

/** Target sparsity at `step` (initial before begin_step, final from end_step on). */
export function cubicSparsity(step: number, s: PruningSchedule): number {
  const p = Math.min(1, Math.max(0, (step - s.begin_step) / (s.end_step - s.begin_step)));
  return s.final_sparsity + (s.initial_sparsity - s.final_sparsity) * (1 - p) ** 3;
}

/** Masks are recomputed at begin_step, every `frequency` steps after it, and at end_step. */
export function isPruningStep(step: number, s: PruningSchedule): boolean {
  if (step < s.begin_step || step > s.end_step) return false;
  return step === s.end_step || (step - s.begin_step) % s.frequency === 0;
}
