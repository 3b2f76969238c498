import { MAX_STEP } from "@finetrack/contracts";
import type { SourcePoint } from "./types";

/**
 * The points of one run, one per (key, step) as the server stores them. Sources repeat steps
 * (LLaMA-Factory writes some lines twice, a resumed run logs a step again, MLflow keeps every
 * value of a step): `keep` says which one a source means, and repeats with another value are
 * counted so the summary can say so.
 */
export class PointSet {
  private readonly byKey = new Map<string, Map<number, SourcePoint>>();
  conflicts = 0;
  repeats = 0;

  constructor(private readonly keep: "first" | "last" = "first") {}

  add(point: SourcePoint): boolean {
    if (!Number.isInteger(point.step) || point.step < 0 || point.step > MAX_STEP) return false;
    if (point.epoch !== undefined && !(Number.isFinite(point.epoch) && point.epoch >= 0)) delete point.epoch;
    let steps = this.byKey.get(point.key);
    if (!steps) this.byKey.set(point.key, (steps = new Map()));
    const previous = steps.get(point.step);
    if (previous) {
      this.repeats++;
      if (!Object.is(previous.value, point.value)) this.conflicts++;
      if (this.keep === "first") return true;
    }
    steps.set(point.step, point);
    return true;
  }

  get size(): number {
    let n = 0;
    for (const steps of this.byKey.values()) n += steps.size;
    return n;
  }

  /** Points in key order, each key's in step order. */
  toArray(): SourcePoint[] {
    const out: SourcePoint[] = [];
    for (const key of [...this.byKey.keys()].sort()) out.push(...[...this.byKey.get(key)!.values()].sort((a, b) => a.step - b.step));
    return out;
  }

  /** "3 repeated (key, step) points (1 with another value): kept the last" or null. */
  describeRepeats(): string | null {
    if (this.repeats === 0) return null;
    return `${this.repeats} repeated (metric, step) point(s)${this.conflicts ? `, ${this.conflicts} with another value` : ", same values"}: kept the ${this.keep} of each`;
  }
}
