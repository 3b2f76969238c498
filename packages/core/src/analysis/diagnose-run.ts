import { diagnoseOverfitting, type OverfittingDiagnosis, type SeriesPoint } from "@finetrack/analysis";
import { MAX_SERIES_POINTS, type Series } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { getSeries } from "../metric/get-series";
import { getRun } from "../run/get-run";
import { AppError } from "../shared/app-error";
import { pickLossKeys } from "./pick-loss-keys";

export type RunDiagnosis = {
  runId: string;
  trainKey: string | null;
  valKey: string | null;
  /** null when the run lacks a training or validation loss; `reason` says which. */
  diagnosis: OverfittingDiagnosis | null;
  reason: string | null;
};

function toPoints(s: Series): SeriesPoint[] {
  return s.step.map((step, i) => ({ step, value: s.value[i], time: s.time[i] / 1000, epoch: s.epoch[i] ?? undefined }));
}

/**
 * The overfitting diagnosis of a stored run: its training and validation loss curves (at up to
 * MAX_SERIES_POINTS points each, min and max of every bucket kept), its config and dataset size.
 */
export async function diagnoseRun(db: Db, input: { runId: string; trainKey?: string; valKey?: string }): Promise<RunDiagnosis> {
  const run = await getRun(db, input.runId);
  const keys = Object.keys(run.metricStats);
  const picked = pickLossKeys(keys);
  const trainKey = input.trainKey ?? picked.trainKey;
  const valKey = input.valKey ?? picked.valKey;
  for (const [field, key] of [["trainKey", input.trainKey], ["valKey", input.valKey]] as const) {
    if (key !== undefined && !keys.includes(key)) throw new AppError("BAD_REQUEST", `run '${run.id}' has no metric '${key}'`, { field });
  }
  if (!trainKey || !valKey) {
    const missing = [!trainKey && "a training loss (e.g. train/loss)", !valKey && "a validation loss (e.g. val/loss)"].filter(Boolean).join(" and ");
    return { runId: run.id, trainKey, valKey, diagnosis: null, reason: `No diagnosis: the run has not logged ${missing}.` };
  }
  const { series } = await getSeries(db, { runIds: [run.id], keys: [trainKey, valKey], maxPoints: MAX_SERIES_POINTS });
  const config: Record<string, unknown> = { ...run.config };
  if (config.train_size === undefined && run.dataset?.trainSize != null) config.train_size = run.dataset.trainSize;
  if (config.validation_size === undefined && run.dataset?.validationSize != null) config.validation_size = run.dataset.validationSize;
  const diagnosis = diagnoseOverfitting(toPoints(series[0]), toPoints(series[1]), { config });
  return { runId: run.id, trainKey, valKey, diagnosis, reason: null };
}
