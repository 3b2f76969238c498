import { diagnoseOverfitting, type OverfittingDiagnosis, type SeriesPoint } from "@finetrack/analysis";
import { MAX_SERIES_POINTS, type Series } from "@finetrack/contracts";
import type { Db, ResolvedRun } from "@finetrack/db";
import { getSeries } from "../metric/get-series";
import { getRun } from "../run/get-run";
import { AppError } from "../shared/app-error";
import { pickLossKeys } from "./pick-loss-keys";
import { pickTaskMetric } from "./pick-task-metric";

export type RunDiagnosis = {
  runId: string;
  trainKey: string | null;
  valKey: string | null;
  /** The task metric read beside the loss (metric_for_best_model, or eval WER/F1/accuracy/…), if any. */
  metricKey: string | null;
  /** null when the run lacks a training or validation loss; `reason` says which. */
  diagnosis: OverfittingDiagnosis | null;
  reason: string | null;
};

function toPoints(s: Series): SeriesPoint[] {
  return s.step.map((step, i) => ({ step, value: s.value[i], time: s.time[i] / 1000, epoch: s.epoch[i] ?? undefined }));
}

/**
 * The overfitting diagnosis of a stored run: its training and validation loss curves and its task
 * metric (at up to MAX_SERIES_POINTS points each, min and max of every bucket kept), its config
 * and dataset size. Keys with a single point (end-of-training aggregates) are never a curve.
 * `known`: runs the request already resolved.
 */
export async function diagnoseRun(db: Db, input: { runId: string; trainKey?: string; valKey?: string }, known?: Map<string, ResolvedRun>): Promise<RunDiagnosis> {
  const run = await getRun(db, input.runId, known);
  const keys = Object.keys(run.metricStats);
  const counts = Object.fromEntries(keys.map((k) => [k, run.metricStats[k].count]));
  const picked = pickLossKeys(keys, counts);
  const trainKey = input.trainKey ?? picked.trainKey;
  const valKey = input.valKey ?? picked.valKey;
  for (const [field, key] of [["trainKey", input.trainKey], ["valKey", input.valKey]] as const) {
    if (key !== undefined && !keys.includes(key)) throw new AppError("BAD_REQUEST", `run '${run.id}' has no metric '${key}'`, { field });
  }
  const task = pickTaskMetric(run.metricStats, run.summary, run.config);
  const metricKey = task && task.key !== valKey && task.key !== trainKey ? task.key : null;
  if (!trainKey || !valKey) {
    const missing = [!trainKey && "a training loss curve (e.g. train/loss)", !valKey && "a validation loss curve (e.g. val/loss, eval/loss)"].filter(Boolean).join(" and ");
    const aggregates = picked.onePoint.length ? `; ${picked.onePoint.join(", ")} ${picked.onePoint.length > 1 ? "hold" : "holds"} one point, an end-of-training value, not a curve` : "";
    return { runId: run.id, trainKey, valKey, metricKey, diagnosis: null, reason: `No diagnosis: the run has not logged ${missing}${aggregates}.` };
  }
  const wanted = metricKey ? [trainKey, valKey, metricKey] : [trainKey, valKey];
  const { series } = await getSeries(db, { runIds: [run.id], keys: wanted, maxPoints: MAX_SERIES_POINTS }, known);
  const config: Record<string, unknown> = { ...run.config };
  if (config.train_size === undefined && run.dataset?.trainSize != null) config.train_size = run.dataset.trainSize;
  if (config.validation_size === undefined && run.dataset?.validationSize != null) config.validation_size = run.dataset.validationSize;
  const metric = metricKey && task ? { name: metricKey, series: toPoints(series[2]), greaterIsBetter: task.greaterIsBetter, selectsCheckpoint: task.selectsCheckpoint } : undefined;
  const diagnosis = diagnoseOverfitting(toPoints(series[0]), toPoints(series[1]), { config, metric });
  return { runId: run.id, trainKey, valKey, metricKey, diagnosis, reason: null };
}
