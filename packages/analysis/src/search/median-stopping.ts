import { quantileSorted } from "../math/descriptive";

/** A trial's curve of the watched metric: steps ascending, lower is better. */
export interface TrialCurve {
  steps: ArrayLike<number>;
  values: ArrayLike<number>;
}

export interface MedianStoppingOptions {
  /** No decision before this step. */
  minStep?: number;
  /** Peers that reached the trial's step needed for a decision. */
  minTrials?: number;
}

export type MedianStoppingDecision =
  | { stop: false; reason: string }
  | { stop: true; reason: string; step: number; best: number; median: number; peers: number };

/** The best (lowest) value at or before `step`, NaN when there is none. */
function bestUpTo(curve: TrialCurve, step: number): number {
  let best = NaN;
  for (let i = 0; i < curve.steps.length && curve.steps[i] <= step; i++) {
    const v = curve.values[i];
    if (Number.isFinite(v) && !(v >= best)) best = v;
  }
  return best;
}

/**
 * The median stopping rule (Golovin et al., "Google Vizier", 2017): stop a trial whose best value so
 * far is worse than the median of the other trials' best values up to the same step. Only peers
 * whose curve reached that step count, so a young sweep stops nothing.
 */
export function medianStopping(trial: TrialCurve, peers: readonly TrialCurve[], options: MedianStoppingOptions = {}): MedianStoppingDecision {
  const n = trial.steps.length;
  if (n === 0) return { stop: false, reason: "no value logged yet" };
  const step = trial.steps[n - 1];
  if (step < (options.minStep ?? 0)) return { stop: false, reason: `step ${step} is before min step ${options.minStep}` };
  const best = bestUpTo(trial, step);
  if (!Number.isFinite(best)) {
    // A curve of NaN/Infinity only is worse than any peer that has a finite value there.
    const finitePeers = peers.filter((p) => p.steps.length && p.steps[p.steps.length - 1] >= step && Number.isFinite(bestUpTo(p, step)));
    if (finitePeers.length >= (options.minTrials ?? 3)) return { stop: true, reason: "no finite value while peers have one", step, best, median: NaN, peers: finitePeers.length };
    return { stop: false, reason: "no finite value yet" };
  }
  const values = peers
    .filter((p) => p.steps.length > 0 && p.steps[p.steps.length - 1] >= step)
    .map((p) => bestUpTo(p, step))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (values.length < (options.minTrials ?? 3)) return { stop: false, reason: `${values.length} peer(s) reached step ${step}, need ${options.minTrials ?? 3}` };
  const median = quantileSorted(values, 0.5);
  if (best > median) return { stop: true, reason: `best ${best.toPrecision(4)} at step ${step} is worse than the median ${median.toPrecision(4)} of ${values.length} peers`, step, best, median, peers: values.length };
  return { stop: false, reason: `best ${best.toPrecision(4)} is within the median ${median.toPrecision(4)}` };
}
