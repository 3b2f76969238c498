import type { MetricStat } from "@finetrack/contracts";
import { maxBetter, minBetter, type Point } from "./tiers";

/** Folds points (sorted by step) of one key into its statistics. */
export function mergeMetricStat(stat: MetricStat | undefined, points: Point[]): MetricStat {
  let s: MetricStat;
  let from = 0;
  if (stat) s = { ...stat };
  else {
    const p = points[0];
    s = { count: 1, first: p.value, firstStep: p.step, last: p.value, lastStep: p.step, min: p.value, minStep: p.step, max: p.value, maxStep: p.step };
    from = 1;
  }
  let min: Point = { step: s.minStep, value: s.min, epoch: null, time: 0 };
  let max: Point = { step: s.maxStep, value: s.max, epoch: null, time: 0 };
  for (let i = from; i < points.length; i++) {
    const p = points[i];
    s.count++;
    if (p.step < s.firstStep) {
      s.firstStep = p.step;
      s.first = p.value;
    }
    if (p.step > s.lastStep) {
      s.lastStep = p.step;
      s.last = p.value;
    }
    if (minBetter(p, min)) min = p;
    if (maxBetter(p, max)) max = p;
  }
  s.min = min.value;
  s.minStep = min.step;
  s.max = max.value;
  s.maxStep = max.step;
  return s;
}
