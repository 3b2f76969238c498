import { suggestTpe, type SearchSpace, type TpeObservation } from "@finetrack/analysis";
import type { SweepSpec } from "./sweep-spec";

/**
 * The next `n` tpe trials (index `from` on), each with its seed. Suggestions made before any result
 * arrives are the random start-up draws; trials in flight are not in the history yet.
 */
export function suggestTrials(spec: SweepSpec, history: TpeObservation[], n: number, from: number): Record<string, unknown>[] {
  const sign = spec.metric.goal === "maximize" ? -1 : 1;
  const observed = history.map((h) => ({ assignment: h.assignment, loss: sign * h.loss }));
  return Array.from({ length: n }, (_, i) => {
    const index = from + i;
    const a = suggestTpe(spec.parameters as SearchSpace, observed, { startupTrials: spec.startupTrials, seed: spec.sweepSeed * 1_000_003 + index });
    return { ...a, seed: spec.seeds[index % spec.seeds.length] };
  });
}
