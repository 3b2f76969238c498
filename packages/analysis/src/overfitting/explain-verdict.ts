import { fmt, pct } from "./format-number";
import type { Divergence } from "./prepare-curve";
import type { DiagnosisEvidence, OverfittingDiagnosis, OverfittingVerdict, TaskMetricReading } from "./types";

interface Facts {
  best: OverfittingDiagnosis["best"];
  final: OverfittingDiagnosis["final"];
  onsetStep: number | null;
  divergence: OverfittingDiagnosis["divergence"];
  minPoints: number;
  m: number;
  metric: TaskMetricReading | null;
  sparse: boolean;
  confidence: number;
  /** Relative fall of the training loss over the run (first tenth vs last tenth). */
  trainFall: number;
  nonFiniteVal: number;
  evaluationsTotal: number;
  /** The evaluation after the onset: the rise began somewhere between the two. */
  nextEvalStep: number | null;
  /** NaN/Inf points the curves recovered from, one sentence per curve. */
  recovered: string[];
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
    case "overfitting": {
      const since = f.onsetStep !== null ? ` since step ${fmt(f.onsetStep)}` : "";
      lines.push(`Overfitting${since}: val loss rose ${pct(e.valRiseFromBest)} above its best while train loss ${trainAfter(e)}.`);
      lines.push(`val slope after the onset has t = ${fmt(e.valSlopeTAfterOnset, 3)} (rule: ≥ 3); rise = ${fmt(e.valRiseInNoiseUnits, 3)}× the val noise σ ${fmt(e.valNoiseSigma)}`);
      lines.push(onsetText(f));
      if (f.metric?.best && f.metric.atLossBest) lines.push(`${f.metric.name} did not improve after the loss's best either (${fmt(f.metric.atLossBest.value)} at step ${fmt(f.metric.atLossBest.step)}, best ${fmt(f.metric.best.value)} at step ${fmt(f.metric.best.step)})`);
      break;
    }
    case "metric_still_improving": {
      const mt = f.metric!;
      const trend = mt.declineFromBest > 0.005 ? `improved until step ${fmt(mt.best!.step)} (${fmt(mt.best!.value)}), then lost ${pct(mt.declineFromBest)}` : `kept improving to ${fmt(mt.best!.value)} at step ${fmt(mt.best!.step)}`;
      lines.push(`Loss overfits, the metric still improves: keep the checkpoint by the metric (${mt.name} best ${fmt(mt.best!.value)} at step ${fmt(mt.best!.step)}).`);
      lines.push(`val loss rose ${pct(e.valRiseFromBest)} above its best (step ${fmt(f.best?.step)}) while ${mt.name} (${mt.greaterIsBetter ? "higher" : "lower"} is better) ${trend}, from ${fmt(mt.atLossBest!.value)} at step ${fmt(mt.atLossBest!.step)} (typical when the model grows over-confident on the examples it still gets wrong while getting more of them right)`);
      lines.push(onsetText(f));
      break;
    }
    case "degrading":
      lines.push(`Degrading: train and val loss both got worse after the first evaluation (val +${pct(e.valRiseFromBest)}, train +${pct(e.trainChangeAfterOnset)} since step ${fmt(f.best?.step)}): an unstable run or too high a learning rate, not overfitting.`);
      break;
    case "eval_broken": {
      const d = f.divergence!;
      lines.push(
        `The evaluation is broken: val loss is ${d.value} at ${f.nonFiniteVal} of ${f.evaluationsTotal} evaluations (first at step ${fmt(d.step)}) while train loss stayed finite and fell ${pct(f.trainFall)}: fix the evaluation before reading this run.`,
      );
      break;
    }
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
  for (const note of f.recovered) lines[0] += ` Note: ${note}.`;
  if (f.sparse) lines[0] += ` Only ${f.m} evaluations, so the confidence is limited (${pct(f.confidence, 2)}).`;
  lines.push(bestText, gapText);
  if (f.metric?.best && verdict !== "metric_still_improving" && verdict !== "overfitting")
    lines.push(`${f.metric.name} best ${fmt(f.metric.best.value)} at step ${fmt(f.metric.best.step)} (${f.metric.greaterIsBetter ? "higher" : "lower"} is better)`);
  if (Number.isFinite(e.finalGeneralizationLoss)) lines.push(`Prechelt GL at the end ${fmt(e.finalGeneralizationLoss, 3)} (max ${fmt(e.maxGeneralizationLoss, 3)}), training progress P_k ${fmt(e.finalTrainingProgress, 3)}`);
  if (Number.isFinite(e.trainReduction)) lines.push(`train loss reduced ${pct(e.trainReduction)} over the run; val improved ${pct(e.valImprovement)} before its best`);
  return lines;
}

function trainAfter(e: DiagnosisEvidence): string {
  return e.trainChangeAfterOnset < 0 ? `fell ${pct(-e.trainChangeAfterOnset)}` : "did not improve";
}

function onsetText(f: Facts): string {
  if (f.onsetStep === null) return `no onset step: fewer than 3 evaluations after the best (step ${fmt(f.best?.step)}) carry the rise`;
  return f.nextEvalStep !== null ? `the rise began between the evaluations at step ${fmt(f.onsetStep)} and step ${fmt(f.nextEvalStep)}` : `onset at step ${fmt(f.onsetStep)}`;
}

/** "val loss was NaN at 1 of 40 evaluations (first at step 150) …" for NaN/Inf points a curve recovered from. */
export function recoveredNotes(t: Divergence | null, tBad: number, tAll: number, v: Divergence | null, vBad: number, vAll: number): string[] {
  const out: string[] = [];
  if (t && !t.persistent) out.push(`train loss was ${t.value} at ${tBad} of ${tAll} logged steps (first at step ${fmt(t.step)}) and recovered (fp16 loss scaling skips such steps): left out`);
  if (v && !v.persistent) out.push(`val loss was ${v.value} at ${vBad} of ${vAll} evaluations (first at step ${fmt(v.step)}) and finite again after: left out`);
  return out;
}
