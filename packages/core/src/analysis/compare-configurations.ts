import { compareSeeds, mean, sampleVariance, selectFactors, type SeedComparison } from "@finetrack/analysis";
import { canonicalKey, FIRST_CLASS_FIELDS } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { listRunRows } from "./list-run-rows";
import { analysedRows, factorCandidates, readAnalysisTarget } from "./select-run-factors";

export type CompareConfigurationsInput = {
  project: string;
  /** The runs picked for comparison; each brings every run of its configuration (its other seeds). */
  runIds: string[];
  target: string;
  direction: "minimize" | "maximize";
};

export type ComparedConfiguration = {
  /** What sets it apart from the other compared configurations (`method full · dataset arith-small`). */
  label: string;
  values: Record<string, string>;
  /** Every run of the project with this configuration (they differ only in seed or bookkeeping). */
  runIds: string[];
  /** Target per run (null where a run lacks it). */
  targets: (number | null)[];
  n: number;
  mean: number;
  std: number;
};

export type CompareConfigurations = {
  target: string;
  direction: "minimize" | "maximize";
  /** The factors a configuration is made of (aliases merged, seed and bookkeeping left out). */
  factors: string[];
  configurations: ComparedConfiguration[];
  /** Each further configuration against the first one. */
  comparisons: SeedComparison[];
  text: string;
};

const show = (v: unknown) => (v === null || v === undefined ? "(missing)" : String(v));

/**
 * Seed-aware comparison: runs that differ only in seed are one configuration with N seeds, so
 * two picked runs are compared as their configurations, with Welch's t-test and a bootstrap
 * interval of the difference (not as two numbers whose gap may be seed noise).
 */
export async function compareConfigurations(db: Db, input: CompareConfigurationsInput): Promise<CompareConfigurations> {
  const all = await listRunRows(db, { project: input.project });
  // Derived runs (compression children) join only when one of them is picked.
  const pickedDerived = all.id.some((id, i) => all.parentRunId[i] !== null && input.runIds.includes(id));
  const { rows } = analysedRows(all, pickedDerived);
  const target = readAnalysisTarget(rows, input.target);
  const sel = selectFactors(factorCandidates(rows), { canonical: (k) => canonicalKey(k), preferred: [...FIRST_CLASS_FIELDS] });
  const keyOf = (i: number) => JSON.stringify(sel.factors.map((f) => show(sel.values[f][i])));
  const byKey = new Map<string, number[]>();
  rows.id.forEach((_, i) => {
    const k = keyOf(i);
    if (!byKey.has(k)) byKey.set(k, []);
    byKey.get(k)!.push(i);
  });
  const at = new Map(rows.id.map((id, i) => [id, i]));
  const keys: string[] = [];
  for (const id of input.runIds) {
    const i = at.get(id);
    if (i !== undefined && !keys.includes(keyOf(i))) keys.push(keyOf(i));
  }
  const order = (f: string) => ((FIRST_CLASS_FIELDS as readonly string[]).includes(f) ? FIRST_CLASS_FIELDS.indexOf(f as never) : FIRST_CLASS_FIELDS.length);
  const differing = sel.factors.filter((f, k) => new Set(keys.map((key) => JSON.parse(key)[k])).size > 1).sort((a, b) => order(a) - order(b));
  const configurations: ComparedConfiguration[] = keys.map((key) => {
    const members = byKey.get(key)!;
    const parts = JSON.parse(key) as string[];
    const values = Object.fromEntries(sel.factors.map((f, k) => [f, parts[k]]));
    const got = members.map((i) => target[i]).filter((t): t is number => t !== null);
    return {
      label: differing.length ? differing.map((f) => `${f} ${values[f]}`).join(" · ") : "all picked runs",
      values,
      runIds: members.map((i) => rows.id[i]),
      targets: members.map((i) => target[i]),
      n: got.length,
      mean: mean(got),
      std: Math.sqrt(sampleVariance(got)),
    };
  });
  const usable = configurations.filter((c) => c.n > 0);
  const comparisons = usable.slice(1).map((c) =>
    compareSeeds(
      { label: c.label, values: c.targets.filter((t): t is number => t !== null) },
      { label: usable[0].label, values: usable[0].targets.filter((t): t is number => t !== null) },
      { direction: input.direction },
    ),
  );
  const text =
    usable.length === 0
      ? `None of these runs has ${input.target}.`
      : usable.length === 1
        ? `These runs differ only in seed (or bookkeeping): one configuration with ${usable[0].n} run${usable[0].n === 1 ? "" : "s"} that have ${input.target}.`
        : comparisons.map((c) => c.text).join(" ");
  return { target: input.target, direction: input.direction, factors: sel.factors, configurations, comparisons, text };
}
