import { AnalysisInputError } from "../errors";
import { readSeries, type Columns } from "../curves/read-series";
import type { Series } from "../curves/types";
import { adviseOverfitting } from "./advise-overfitting";
import { alignTrain } from "./align-train";
import { classifyCurves } from "./classify-curves";
import { evaluationSpacing, replayEarlyStopping } from "./early-stopping-what-if";
import { explainVerdict, recoveredNotes } from "./explain-verdict";
import { generalizationLoss, trainingProgress } from "./prechelt-criteria";
import { countFinite, dedupeSteps, fallOf, findDivergence, finiteBefore, type Divergence } from "./prepare-curve";
import { minMaxIndices } from "../curves/downsample-min-max";
import type { DiagnoseOptions, DiagnosisEvidence, OverfittingDiagnosis, OverfittingVerdict } from "./types";
import { readConfig } from "./read-config";
import { readTaskMetric } from "./read-task-metric";

/** Fewer evaluations than this is a sparse run: the verdict stands, its confidence is capped. */
export const SPARSE_EVALUATIONS = 12;
/** A fewer-than-this-many evaluations rise after the best is an overfitting verdict without an onset. */
const ONSET_EVALUATIONS_AFTER = 3;

/**
 * Diagnoses one run from its training and validation **loss** curves (lower is better; for an
 * accuracy, pass 1 − accuracy or a loss). Steps may differ between the two curves (NaN/Inf
 * allowed; unsorted input is sorted, a repeated step keeps its last value). METHODS.md and
 * classify-curves.ts (RULES) give the verdict rules; `evidence` carries every number behind it.
 */
export function diagnoseOverfitting(train: Series, val: Series, options: DiagnoseOptions = {}): OverfittingDiagnosis {
  const k = options.stripLength ?? 5;
  const minPoints = options.minValidationPoints ?? 5;
  const factor = options.explosionFactor ?? 10;
  if (!Number.isInteger(k) || k < 1) throw new AnalysisInputError("options.stripLength", "an integer >= 1", k);
  if (!Number.isInteger(minPoints) || minPoints < 3) throw new AnalysisInputError("options.minValidationPoints", "an integer >= 3", minPoints);
  if (!(factor > 1)) throw new AnalysisInputError("options.explosionFactor", "a number > 1", factor);
  const maxSeries = options.maxSeriesPoints ?? 2000;
  if (!Number.isInteger(maxSeries) || maxSeries < 10) throw new AnalysisInputError("options.maxSeriesPoints", "an integer >= 10", maxSeries);
  const config = readConfig(options.config);
  const tc = dedupeSteps(readSeries(train, "train"));
  const vc = dedupeSteps(readSeries(val, "val"));

  const tDiv = findDivergence(tc, factor);
  const vDiv = findDivergence(vc, factor);
  const tBreak = tDiv?.persistent ? tDiv : null;
  const vBreak = vDiv?.persistent ? vDiv : null;
  // The earliest real break; else the earliest recovered NaN/Inf, reported but not judged on.
  const earliest = (a: Divergence | null, b: Divergence | null) => (a && (!b || a.step < b.step) ? { d: a, series: "train" as const } : b ? { d: b, series: "val" as const } : null);
  const shown = earliest(tBreak, vBreak) ?? earliest(tDiv, vDiv);
  let divergence: OverfittingDiagnosis["divergence"] = shown
    ? { step: shown.d.step, series: shown.series, reason: shown.d.reason, value: shown.d.value, persistent: shown.d.persistent }
    : null;
  // A NaN/Inf val loss beside a finite, falling train loss: the evaluation broke, not the model.
  const trainFall = fallOf(tc);
  const evalBroken = vBreak?.reason === "non_finite" && tBreak === null && trainFall > 0.01;
  // Judge only what came before the breakage (recovered NaN/Inf points are simply left out).
  const cut = divergence?.persistent ? divergence.step : Infinity;
  const tf = finiteBefore(tc, tBreak ? tBreak.index : tc.step.length);
  const vEnd = Math.min(vBreak ? vBreak.index : vc.step.length, upperIndex(vc.step, cut));
  const vf = finiteBefore(vc, vEnd);
  const m = vf.x.length;

  const ta = alignTrain(tf.x, tf.y, vf.x);
  const gl = generalizationLoss(vf.y);
  const pk = trainingProgress(ta, k);
  const maxOut = options.maxSeriesPoints ?? 2000;
  const gapValues = new Float64Array(m);
  for (let i = 0; i < m; i++) gapValues[i] = vf.y[i] - ta[i];
  const gap = chartPoints(vf.x, gapValues, maxOut, true).map((i) => ({ step: vf.x[i], train: ta[i], val: vf.y[i], gap: gapValues[i] }));
  let bestI = -1;
  for (let i = 0; i < m; i++) if (bestI < 0 || vf.y[i] < vf.y[bestI]) bestI = i;
  const best: OverfittingDiagnosis["best"] = bestI >= 0 ? { step: vf.x[bestI], value: vf.y[bestI] } : null;
  const last = m - 1;
  const final = m > 0 ? { step: vf.x[last], train: ta[last], val: vf.y[last], gap: vf.y[last] - ta[last] } : null;

  const task = options.metric !== undefined ? readTaskMetric(options.metric, best?.step ?? null) : null;
  const metric = task?.reading ?? null;

  // Early stopping watches what the run selects its checkpoint by (HF: metric_for_best_model),
  // counted in the run's own evaluations: a patience it never had the evaluations for is left out.
  const byMetric = task !== null && task.reading.selectsCheckpoint;
  const watched = byMetric ? task.columns : vc;
  const mode = byMetric && task.reading.greaterIsBetter ? "max" : "min";
  const monitor = byMetric ? task.reading.name : "loss";
  const patience = options.patience ?? config.earlyStoppingPatience ?? 3;
  const minDelta = options.minDelta ?? config.earlyStoppingMinDelta ?? 0;
  const evaluations = countFinite(watched.value);
  const patiences = options.whatIfPatiences ?? [1, 2, 3, 5, 10];
  const possible = patiences.filter((p) => p < evaluations);
  const spacing = evaluationSpacing(watched);
  const table = (possible.length ? possible : patiences.slice(0, 1)).map((p) => replayEarlyStopping(watched, tc, p, minDelta, mode, monitor, spacing));
  const earlyStopping = replayEarlyStopping(watched, tc, patience, minDelta, mode, monitor, spacing);

  const firstStep = Math.min(tc.step[0] ?? Infinity, vc.step[0] ?? Infinity);
  const lastStep = Math.max(tc.step[tc.step.length - 1] ?? -Infinity, vc.step[vc.step.length - 1] ?? -Infinity);
  const common = {
    trainPoints: tf.x.length,
    valPoints: m,
    relativeFinalGap: final ? final.gap / Math.abs(final.val || 1) : NaN,
    finalGeneralizationLoss: m ? gl[last] : NaN,
    maxGeneralizationLoss: maxFinite(gl),
    finalTrainingProgress: m ? pk[last] : NaN,
    bestAtFraction: best && lastStep > firstStep ? (best.step - firstStep) / (lastStep - firstStep) : NaN,
  };

  let verdict: OverfittingVerdict;
  let confidence: number;
  let onsetStep: number | null = null;
  let evidence: DiagnosisEvidence;
  if (m >= 3) {
    const c = classifyCurves(vf.x, vf.y, ta);
    evidence = { ...common, ...c.evidence, firstStep, lastStep };
    verdict = c.verdict;
    confidence = c.confidence;
    if (c.onsetIndex >= 0) onsetStep = vf.x[c.onsetIndex];
    if (c.unstable && !divergence?.persistent) {
      const i = c.bestSmoothedIndex;
      divergence = { step: vf.x[i], series: "train", reason: "unstable", value: ta[i], persistent: true };
    }
  } else {
    evidence = { ...common, ...emptyEvidence(), firstStep, lastStep };
    verdict = "too_short";
    confidence = 0.9;
  }
  const broke = divergence !== null && divergence.persistent && divergence.reason !== "unstable";
  if (broke && evalBroken) {
    verdict = "eval_broken";
    confidence = 0.9;
    onsetStep = null;
  } else if (broke) {
    verdict = "diverged";
    confidence = divergence!.reason === "non_finite" ? 1 : 0.9;
    onsetStep = null;
  } else if (m < minPoints) {
    verdict = "too_short";
    confidence = 0.9;
    onsetStep = null;
  }
  const sparse = !broke && verdict !== "too_short" && m < SPARSE_EVALUATIONS;
  if (sparse) confidence = Math.min(confidence, 0.45 + 0.035 * m);
  // The rise must rest on enough evaluations to place where it began.
  const evaluationsAfterOnset = onsetStep === null ? 0 : m - 1 - vf.x.indexOf(onsetStep);
  if (onsetStep !== null && evaluationsAfterOnset < ONSET_EVALUATIONS_AFTER) onsetStep = null;
  if (verdict === "overfitting" && metric?.improvesAfterLossBest) verdict = "metric_still_improving";
  const epochAt = epochMapper(vc, tc, config.numTrainEpochs, firstStep, lastStep);
  if (best && epochAt(best.step) !== null) best.epoch = epochAt(best.step)!;
  // Counted only when there is something to count: these are 10⁵-point passes otherwise.
  const nonFiniteVal = vDiv ? vc.value.length - countFinite(vc.value) : 0;
  const nonFiniteTrain = tDiv ? tc.value.length - countFinite(tc.value) : 0;
  const reasons = explainVerdict(verdict, evidence, {
    best, final, onsetStep, divergence, minPoints, m, metric, sparse, confidence, trainFall, nonFiniteVal, evaluationsTotal: vc.value.length,
    recovered: broke ? [] : recoveredNotes(tDiv, nonFiniteTrain, tc.value.length, vDiv, nonFiniteVal, vc.value.length),
    nextEvalStep: onsetStep !== null ? vf.x[vf.x.indexOf(onsetStep) + 1] ?? null : null,
  });
  const diagnosis: OverfittingDiagnosis = {
    verdict,
    confidence,
    summary: reasons[0],
    reasons,
    onsetStep,
    best,
    final,
    gap,
    finalGap: final && Number.isFinite(final.gap) ? final.gap : null,
    generalizationLoss: chartPoints(vf.x, gl, maxOut, false).map((i) => ({ step: vf.x[i], value: gl[i] })),
    trainingProgress: chartPoints(vf.x, pk, maxOut, true).map((i) => ({ step: vf.x[i], value: pk[i] })),
    stripLength: k,
    sparse,
    metric,
    divergence,
    evidence,
    earlyStopping,
    earlyStoppingTable: table,
    advice: [],
  };
  diagnosis.advice = adviseOverfitting(diagnosis, options.config, { epochAtStep: epochAt });
  return diagnosis;
}

/** Indices of a chart-ready version of a per-evaluation series: min/max buckets, at most `max` points. */
function chartPoints(x: Float64Array, y: Float64Array, max: number, finiteOnly: boolean): number[] {
  let finite = 0;
  for (let i = 0; i < y.length; i++) if (Number.isFinite(y[i])) finite++;
  if (!finiteOnly || finite === y.length) return minMaxIndices(x, y, max);
  const map = new Int32Array(finite);
  const fx = new Float64Array(finite);
  const fy = new Float64Array(finite);
  for (let i = 0, k = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) continue;
    map[k] = i;
    fx[k] = x[i];
    fy[k++] = y[i];
  }
  return minMaxIndices(fx, fy, max).map((k) => map[k]);
}

/**
 * Step -> epoch: from logged epochs when the points carry them (nearest logged point at or
 * before the step), else proportionally from num_train_epochs over the logged span.
 */
function epochMapper(v: Columns, t: Columns, epochs: number | undefined, first: number, last: number) {
  const src = v.hasEpoch ? v : t.hasEpoch ? t : null;
  return (step: number): number | null => {
    if (src) {
      let e: number | null = null;
      for (let i = 0; i < src.step.length && src.step[i] <= step; i++) if (Number.isFinite(src.epoch[i])) e = src.epoch[i];
      return e;
    }
    if (epochs !== undefined && last > first) return (epochs * (step - first)) / (last - first);
    return null;
  };
}

function upperIndex(steps: Float64Array, cut: number): number {
  let i = 0;
  while (i < steps.length && steps[i] < cut) i++;
  return i;
}

function maxFinite(a: Float64Array): number {
  let max = NaN;
  for (const v of a) if (Number.isFinite(v) && !(v <= max)) max = v;
  return max;
}

function emptyEvidence() {
  return {
    valNoiseSigma: NaN,
    smoothingSigmaSteps: NaN,
    valImprovement: NaN,
    valRiseFromBest: NaN,
    valRiseInNoiseUnits: NaN,
    valSlopeTAfterOnset: NaN,
    trainSlopeTAfterOnset: NaN,
    trainChangeAfterOnset: NaN,
    recentValSlopeT: NaN,
    recentValChange: NaN,
    recentTrainChange: NaN,
    trainReduction: NaN,
  };
}
