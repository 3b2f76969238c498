import { linearTrend, robustSigma } from "../math/descriptive";
import { localLinearSmooth } from "./local-linear-smooth";
import type { DiagnosisEvidence, OverfittingVerdict } from "./types";

// Thresholds of the verdict rules, named so the evidence can be read against them.
export const RULES = {
  /** t statistic of the validation slope after its minimum that counts as "keeps rising". */
  riseSlopeT: 3,
  /** Smallest rise above the best smoothed validation loss that matters (relative). */
  minRelativeRise: 0.01,
  /** Training may drift up this much after the onset and still count as "not rising". */
  trainDrift: 0.02,
  /** Both losses rising more than this after the minimum is instability, not overfitting. */
  unstableTrainRise: 0.05,
  /** Recent validation slope t and relative drop that count as still improving. */
  improvingSlopeT: -2,
  improvingChange: -0.005,
  /** Training loss reduced less than this (relative) with a small gap is underfitting. */
  underfitReduction: 0.15,
  underfitGap: 0.1,
} as const;

export interface Classification {
  verdict: Exclude<OverfittingVerdict, "too_short" | "metric_still_improving" | "eval_broken">;
  unstable: boolean;
  confidence: number;
  onsetIndex: number;
  bestSmoothedIndex: number;
  evidence: Omit<DiagnosisEvidence, "trainPoints" | "valPoints" | "finalGeneralizationLoss" | "maxGeneralizationLoss" | "finalTrainingProgress" | "relativeFinalGap" | "bestAtFraction" | "firstStep" | "lastStep">;
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/**
 * Verdict from finite validation points (vx, vy) and the training loss aligned to them (ta, NaN
 * where unknown). Validation is smoothed by local linear regression over ±m/20 points; its
 * minimum is the onset candidate, confirmed when the raw points after it rise with a slope t ≥ 3,
 * the smoothed rise is ≥ 1% and training did not rise with it.
 */
export function classifyCurves(vx: Float64Array, vy: Float64Array, ta: Float64Array): Classification {
  const m = vx.length;
  const half = Math.max(1, Math.round(m / 20));
  const s = localLinearSmooth(vx, vy, half);
  const resid = new Float64Array(m);
  for (let i = 0; i < m; i++) resid[i] = vy[i] - s[i];
  const noise = robustSigma(resid);
  const spacing = m > 1 ? (vx[m - 1] - vx[0]) / (m - 1) : 0;

  let iMin = 0;
  for (let i = 1; i < m; i++) if (s[i] < s[iMin]) iMin = i;
  const sMin = s[iMin];
  const rise = s[m - 1] - sMin;
  const relRise = rise / Math.abs(sMin || 1);
  const valImprovement = (s[0] - sMin) / Math.abs(s[0] || 1);
  const after = linearTrend(vx, vy, iMin, m);

  let known = 0;
  for (let i = 0; i < m; i++) if (Number.isFinite(ta[i])) known++;
  // Usually training loss is known at every evaluation: then the columns are used as they are.
  const all = known === m;
  const tIdx = new Int32Array(known);
  const tx = all ? vx : new Float64Array(known);
  const ty = all ? ta : new Float64Array(known);
  for (let i = 0, k = 0; i < m; i++) {
    if (!Number.isFinite(ta[i])) continue;
    tIdx[k] = i;
    if (!all) {
      tx[k] = vx[i];
      ty[k] = ta[i];
    }
    k++;
  }
  const ts = localLinearSmooth(tx, ty, Math.max(1, Math.round(tIdx.length / 20)));
  const trainAt = (i: number) => {
    // smoothed training loss at the first aligned point at or after validation index i
    let k = 0;
    while (k < tIdx.length - 1 && tIdx[k] < i) k++;
    return tIdx.length ? ts[k] : NaN;
  };
  const firstAfter = tIdx.findIndex((i) => i >= iMin);
  const trainAfter = firstAfter >= 0 ? linearTrend(tx, ty, firstAfter, tIdx.length) : { slopeT: NaN };
  const trainEnd = tIdx.length ? ts[tIdx.length - 1] : NaN;
  const trainChangeAfter = (trainEnd - trainAt(iMin)) / Math.abs(trainAt(iMin) || 1);
  const trainReduction = tIdx.length > 1 ? 1 - ts[tIdx.length - 1] / ts[0] : NaN;

  const q = Math.min(Math.floor(0.75 * m), m - 3);
  const recent = linearTrend(vx, vy, Math.max(0, q), m);
  const recentValChange = (s[m - 1] - s[Math.max(0, q)]) / Math.abs(s[Math.max(0, q)] || 1);
  const recentTrainChange = (trainEnd - trainAt(q)) / Math.abs(trainAt(q) || 1);
  const finalGapRel = (vy[m - 1] - ta[m - 1]) / Math.abs(vy[m - 1] || 1);

  const evidence = {
    valNoiseSigma: noise,
    smoothingSigmaSteps: (half * spacing) / Math.sqrt(3),
    valImprovement,
    valRiseFromBest: relRise,
    valRiseInNoiseUnits: noise > 0 ? rise / noise : rise > 0 ? Infinity : 0,
    valSlopeTAfterOnset: after.slopeT,
    trainSlopeTAfterOnset: trainAfter.slopeT,
    trainChangeAfterOnset: trainChangeAfter,
    recentValSlopeT: recent.slopeT,
    recentValChange,
    recentTrainChange,
    trainReduction,
  };
  const base = { onsetIndex: -1, bestSmoothedIndex: iMin, evidence, unstable: false };

  const rising = m - iMin >= 3 && after.slopeT >= RULES.riseSlopeT && relRise >= RULES.minRelativeRise;
  if (rising) {
    const trainKnown = Number.isFinite(trainChangeAfter);
    if (trainKnown && trainChangeAfter > RULES.unstableTrainRise) {
      const confidence = clamp(0.5 + 0.1 * (Math.min(after.slopeT, 8) - RULES.riseSlopeT), 0.5, 0.95);
      // Never better than at the first evaluation: the run degraded from the start (learning rate
      // too high), where a run that improved first and then climbed is instability mid-run
      // (the first tenth of the evaluations, so one noisy first evaluation does not decide it).
      if (iMin <= Math.round(0.1 * (m - 1)) || argMin(vy) === 0) return { ...base, verdict: "degrading", confidence };
      return { ...base, verdict: "diverged", unstable: true, confidence };
    }
    const trainFactor = !trainKnown ? 0.7 : trainChangeAfter > RULES.trainDrift ? 0.6 : trainAfter.slopeT <= -2 ? 1 : 0.85;
    const strength = 0.45 + 0.08 * (Math.min(after.slopeT, 8) - RULES.riseSlopeT) + 0.1 * Math.min(relRise / 0.05, 2);
    return { ...base, verdict: "overfitting", onsetIndex: iMin, confidence: clamp(strength * trainFactor, 0.3, 0.99) };
  }
  // Still improving means falling at the end *and* being at (or within 1% of) the best so far:
  // a curve recovering from a bump has not improved yet.
  if (recent.slopeT <= RULES.improvingSlopeT && recentValChange <= RULES.improvingChange && relRise < RULES.minRelativeRise) {
    return { ...base, verdict: "still_improving", confidence: clamp(0.5 + 0.08 * (-recent.slopeT - 2), 0.5, 0.95) };
  }
  const gapSmall = !Number.isFinite(finalGapRel) || finalGapRel < RULES.underfitGap;
  if (Number.isFinite(trainReduction) ? trainReduction < RULES.underfitReduction && gapSmall : valImprovement < 0.05) {
    const confidence = clamp(0.5 + 2 * (RULES.underfitReduction - (Number.isFinite(trainReduction) ? trainReduction : valImprovement)), 0.4, 0.85);
    return { ...base, verdict: "underfitting", confidence };
  }
  const flatness = Number.isFinite(recent.slopeT) ? Math.abs(recent.slopeT) : 0;
  return { ...base, verdict: "good_fit", confidence: clamp(0.85 - 0.1 * flatness, 0.4, 0.85) };
}

function argMin(a: Float64Array): number {
  let k = 0;
  for (let i = 1; i < a.length; i++) if (a[i] < a[k]) k = i;
  return k;
}
