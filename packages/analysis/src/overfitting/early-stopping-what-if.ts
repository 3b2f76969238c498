import { AnalysisInputError } from "../errors";
import { readSeries, type Columns } from "../curves/read-series";
import type { Series } from "../curves/types";
import { dedupeSteps } from "./prepare-curve";
import type { EarlyStoppingOptions, EarlyStoppingWhatIf } from "./types";

/**
 * Replays early stopping over a logged validation curve with Keras / Hugging Face semantics: an
 * evaluation improves when it beats the best by more than `minDelta`; after `patience`
 * evaluations without improvement training stops there (NaN never improves). Reports where it
 * would have stopped, what the restored best would be against the run's overall best, and the
 * steps and wall time that stopping would have saved.
 */
export function earlyStoppingWhatIf(val: Series, options: EarlyStoppingOptions = {}): EarlyStoppingWhatIf {
  const patience = options.patience ?? 3;
  const minDelta = options.minDelta ?? 0;
  const mode = options.mode ?? "min";
  if (!Number.isInteger(patience) || patience < 1) throw new AnalysisInputError("patience", "an integer >= 1", patience);
  if (typeof minDelta !== "number" || !(minDelta >= 0)) throw new AnalysisInputError("minDelta", "a number >= 0", minDelta);
  if (mode !== "min" && mode !== "max") throw new AnalysisInputError("mode", '"min" or "max"', mode);
  const v = dedupeSteps(readSeries(val, "val"));
  const t = options.train ? readSeries(options.train, "train") : null;
  return replayEarlyStopping(v, t, patience, minDelta, mode, options.monitor ?? (mode === "min" ? "loss" : "metric"));
}

/** Median steps between consecutive finite evaluations (null with fewer than two). */
export function evaluationSpacing(v: Columns): number | null {
  let n = 0;
  for (let i = 0; i < v.step.length; i++) if (Number.isFinite(v.value[i])) n++;
  if (n < 2) return null;
  const gaps = new Float64Array(n - 1);
  for (let i = 0, k = -1, prev = NaN; i < v.step.length; i++) {
    if (!Number.isFinite(v.value[i])) continue;
    if (k >= 0) gaps[k] = v.step[i] - prev;
    k++;
    prev = v.step[i];
  }
  // Long curves are read at an even stride (≤ 4,096 gaps), like robustSigma: a spacing needs no more.
  const stride = Math.ceil(gaps.length / 4096);
  let sample = gaps;
  if (stride > 1) {
    sample = new Float64Array(Math.ceil(gaps.length / stride));
    for (let i = 0, k = 0; i < gaps.length; i += stride) sample[k++] = gaps[i];
  }
  sample.sort();
  const mid = sample.length >> 1;
  return sample.length % 2 ? sample[mid] : (sample[mid - 1] + sample[mid]) / 2;
}

/** The same on validated columns (the diagnosis calls it for several patiences). */
export function replayEarlyStopping(
  v: Columns,
  t: Columns | null,
  patience: number,
  minDelta: number,
  mode: "min" | "max" = "min",
  monitor = "loss",
  spacing: number | null = evaluationSpacing(v),
): EarlyStoppingWhatIf {
  const sign = mode === "min" ? 1 : -1;
  const n = v.step.length;
  let best = Infinity;
  let bestIdx = -1;
  let overall = Infinity;
  let overallIdx = -1;
  let wait = 0;
  let stopIdx = -1;
  for (let i = 0; i < n; i++) {
    const x = sign * v.value[i];
    if (x < overall) {
      overall = x;
      overallIdx = i;
    }
    if (stopIdx >= 0) continue;
    if (x < best - minDelta) {
      best = x;
      bestIdx = i;
      wait = 0;
    } else if (++wait >= patience) stopIdx = i;
  }
  // Keras restores the best weights seen, which may be a sub-min_delta improvement: track it.
  let restoredIdx = -1;
  const upto = stopIdx >= 0 ? stopIdx : n - 1;
  for (let i = 0; i <= upto; i++) if (restoredIdx < 0 || sign * v.value[i] < sign * v.value[restoredIdx]) restoredIdx = i;
  if (restoredIdx >= 0 && !Number.isFinite(v.value[restoredIdx])) restoredIdx = bestIdx;

  const firstStep = Math.min(n ? v.step[0] : Infinity, t && t.step.length ? t.step[0] : Infinity);
  const lastIdx = n - 1;
  const lastStep = Math.max(n ? v.step[lastIdx] : -Infinity, t && t.step.length ? t.step[t.step.length - 1] : -Infinity);
  const span = lastStep - firstStep;
  const stopped = stopIdx >= 0;
  const stopStep = stopIdx >= 0 ? v.step[stopIdx] : null;
  const stepsSaved = stopped && stopStep !== null ? lastStep - stopStep : 0;
  let wallSecondsSaved: number | null = null;
  if (stopped && v.hasTime && Number.isFinite(v.time[stopIdx])) {
    const lastTime = Math.max(lastFinite(v.time), t && t.hasTime ? lastFinite(t.time) : -Infinity);
    wallSecondsSaved = lastTime - v.time[stopIdx];
  } else if (!stopped && v.hasTime) wallSecondsSaved = 0;

  const restored = restoredIdx >= 0 ? v.value[restoredIdx] : null;
  const overallValue = overallIdx >= 0 ? v.value[overallIdx] : null;
  return {
    monitor,
    patience,
    minDelta,
    stopped,
    stopStep: stopped ? stopStep : null,
    bestStepAtStop: restoredIdx >= 0 ? v.step[restoredIdx] : null,
    bestValueAtStop: restored,
    valueAtStop: stopped ? v.value[stopIdx] : null,
    overallBestStep: overallIdx >= 0 ? v.step[overallIdx] : null,
    overallBestValue: overallValue,
    lossVsOverallBest: restored !== null && overallValue !== null ? sign * (restored - overallValue) : null,
    stepsSaved,
    fractionSaved: span > 0 ? stepsSaved / span : 0,
    evaluationsSaved: stopped ? lastIdx - stopIdx : 0,
    wallSecondsSaved,
    evaluationSpacingSteps: spacing,
  };
}

function lastFinite(a: Float64Array): number {
  for (let i = a.length - 1; i >= 0; i--) if (Number.isFinite(a[i])) return a[i];
  return NaN;
}
