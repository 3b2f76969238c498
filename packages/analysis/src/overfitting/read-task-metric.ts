import { AnalysisInputError } from "../errors";
import { readSeries, type Columns } from "../curves/read-series";
import { robustSigma } from "../math/descriptive";
import { localLinearSmooth } from "./local-linear-smooth";
import { dedupeSteps } from "./prepare-curve";
import type { TaskMetricInput, TaskMetricReading } from "./types";

/** The smoothed metric must beat its value at the loss's best by this much (relative, and by 2σ of its noise) to count as "still improving". */
export const METRIC_MIN_IMPROVEMENT = 0.005;

/**
 * How a task metric (WER, accuracy, …) moved against the validation loss: its best, its value at
 * the evaluation nearest the loss's best, and how much better it got after that. Values are
 * compared by `greaterIsBetter`; NaN evaluations are skipped.
 */
export function readTaskMetric(input: TaskMetricInput, lossBestStep: number | null): { reading: TaskMetricReading; columns: Columns } {
  if (input === null || typeof input !== "object") throw new AnalysisInputError("options.metric", "{ name, series, greaterIsBetter }", input);
  if (typeof input.name !== "string" || input.name === "") throw new AnalysisInputError("options.metric.name", "a metric name", input.name);
  if (typeof input.greaterIsBetter !== "boolean") throw new AnalysisInputError("options.metric.greaterIsBetter", "true or false", input.greaterIsBetter);
  const columns = dedupeSteps(readSeries(input.series, "options.metric.series"));
  const score = (v: number) => (input.greaterIsBetter ? v : -v);
  const { step, value } = columns;
  let best = -1;
  let last = -1;
  let points = 0;
  for (let i = 0; i < step.length; i++) {
    if (!Number.isFinite(value[i])) continue;
    points++;
    last = i;
    if (best < 0 || score(value[i]) > score(value[best])) best = i;
  }
  let at = -1;
  if (lossBestStep !== null)
    for (let i = 0; i < step.length; i++) if (Number.isFinite(value[i]) && (at < 0 || Math.abs(step[i] - lossBestStep) < Math.abs(step[at] - lossBestStep))) at = i;
  const point = (i: number) => (i >= 0 ? { step: step[i], value: value[i] } : null);
  // Judged on the smoothed metric against its own noise, so a noisy plateau's lucky maximum after
  // the loss's best is not "still improving".
  const fx: number[] = [];
  const fy: number[] = [];
  let atF = -1;
  for (let i = 0; i < step.length; i++) {
    if (!Number.isFinite(value[i])) continue;
    if (i === at) atF = fx.length;
    fx.push(step[i]);
    fy.push(score(value[i]));
  }
  const smooth = localLinearSmooth(Float64Array.from(fx), Float64Array.from(fy), Math.max(1, Math.round(fx.length / 20)));
  const noise = robustSigma(fy.map((y, i) => y - smooth[i]));
  // From the better of the raw and the smoothed value there: smoothing pulls a peak down.
  const base = atF >= 0 ? Math.max(smooth[atF], fy[atF]) : NaN;
  let gain = 0;
  for (let i = atF + 1; atF >= 0 && i < fx.length; i++) gain = Math.max(gain, smooth[i] - base);
  const improvement = atF >= 0 ? gain / Math.abs(value[at] || 1) : 0;
  const decline = best >= 0 ? (score(value[best]) - score(value[last])) / Math.abs(value[best] || 1) : NaN;
  return {
    columns,
    reading: {
      name: input.name,
      greaterIsBetter: input.greaterIsBetter,
      selectsCheckpoint: input.selectsCheckpoint === true,
      points,
      best: point(best),
      final: point(last),
      atLossBest: point(at),
      improvementAfterLossBest: improvement,
      improvesAfterLossBest: improvement >= METRIC_MIN_IMPROVEMENT && gain >= 2 * (Number.isFinite(noise) ? noise : 0),
      noiseSigma: noise,
      declineFromBest: decline,
    },
  };
}
