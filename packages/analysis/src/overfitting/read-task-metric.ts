import { AnalysisInputError } from "../errors";
import { readSeries, type Columns } from "../curves/read-series";
import { dedupeSteps } from "./prepare-curve";
import type { TaskMetricInput, TaskMetricReading } from "./types";

/** The metric must beat its value at the loss's best by this much (relative) to count as "still improving". */
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
  const improvement = at >= 0 && best >= 0 && step[best] > step[at] ? (score(value[best]) - score(value[at])) / Math.abs(value[at] || 1) : 0;
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
      declineFromBest: decline,
    },
  };
}
