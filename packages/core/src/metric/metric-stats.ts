import { beatsMax, beatsMin } from "@finetrack/analysis";
import type { MetricStat } from "@finetrack/contracts";
import type { Point } from "./tiers";

/**
 * A metric's max is the max of its numbers: unlike a chart bucket's (`beatsMax`, where NaN wins so
 * the spike shows), a NaN never takes it, so filters and sorts on `metrics.<key>.max` compare numbers.
 * Its `last` shows a divergence.
 */
function beatsNumericMax(a: Point, b: Point): boolean {
  if (Number.isNaN(a.value) !== Number.isNaN(b.value)) return Number.isNaN(b.value);
  return beatsMax(a.value, a.step, b.value, b.step);
}

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
    if (beatsMin(p.value, p.step, min.value, min.step)) min = p;
    if (beatsNumericMax(p, max)) max = p;
  }
  s.min = min.value;
  s.minStep = min.step;
  s.max = max.value;
  s.maxStep = max.step;
  return s;
}
