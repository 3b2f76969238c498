import { fmt, pct } from "./format-number";
import type { DiagnosisEvidence, OverfittingDiagnosis, OverfittingVerdict } from "./types";

interface Facts {
  best: OverfittingDiagnosis["best"];
  final: OverfittingDiagnosis["final"];
  onsetStep: number | null;
  divergence: OverfittingDiagnosis["divergence"];
  minPoints: number;
  m: number;
}

/** The summary line first, then the supporting numbers. */
export function explainVerdict(verdict: OverfittingVerdict, e: DiagnosisEvidence, f: Facts): string[] {
  const bestText = f.best ? `best val loss ${fmt(f.best.value)} at step ${fmt(f.best.step)}` : "no finite val loss";
  const gapText = f.final && Number.isFinite(f.final.gap) ? `final gap (val − train) ${fmt(f.final.gap)}` : "no train/val gap (train loss missing at the end)";
  const lines: string[] = [];
  switch (verdict) {
    case "diverged": {
      const d = f.divergence!;
      const what =
        d.reason === "non_finite" ? `became ${d.value}` : d.reason === "explosion" ? `exploded to ${fmt(d.value)}` : "rose together with validation loss";
      lines.push(`Diverged at step ${fmt(d.step)}: ${d.series} loss ${what}.`);
      if (d.reason === "unstable") lines.push(`training loss rose ${pct(e.trainChangeAfterOnset)} after the best validation point (instability, not overfitting)`);
      break;
    }
    case "too_short":
      lines.push(`Too short to tell: ${f.m} finite validation point${f.m === 1 ? "" : "s"} (need ${f.minPoints}).`);
      break;
    case "overfitting":
      lines.push(
        `Overfitting since step ${fmt(f.onsetStep)}: val loss rose ${pct(e.valRiseFromBest)} above its best while train loss ${e.trainChangeAfterOnset < 0 ? `fell ${pct(-e.trainChangeAfterOnset)}` : "did not improve"}.`,
      );
      lines.push(`val slope after the onset has t = ${fmt(e.valSlopeTAfterOnset, 3)} (rule: ≥ 3); rise = ${fmt(e.valRiseInNoiseUnits, 3)}× the val noise σ ${fmt(e.valNoiseSigma)}`);
      break;
    case "still_improving":
      lines.push(`Still improving: val loss fell ${pct(-e.recentValChange)} over the last quarter of the run (slope t = ${fmt(e.recentValSlopeT, 3)}).`);
      break;
    case "underfitting":
      lines.push(`Underfitting: train loss fell only ${pct(e.trainReduction)} and val loss sits close to it.`);
      break;
    case "good_fit":
      lines.push(`Good fit: val loss has levelled off near its best (${pct(e.valRiseFromBest)} above it) with no significant rise.`);
      break;
  }
  lines.push(bestText, gapText);
  if (Number.isFinite(e.finalGeneralizationLoss)) lines.push(`Prechelt GL at the end ${fmt(e.finalGeneralizationLoss, 3)} (max ${fmt(e.maxGeneralizationLoss, 3)}), training progress P_k ${fmt(e.finalTrainingProgress, 3)}`);
  if (Number.isFinite(e.trainReduction)) lines.push(`train loss reduced ${pct(e.trainReduction)} over the run; val improved ${pct(e.valImprovement)} before its best`);
  return lines;
}
