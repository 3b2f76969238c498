import { factorImpact, selectFactors, type FactorImpactResult, type FactorRun, type FactorSelection, type FactorValue } from "@finetrack/analysis";
import { canonicalKey, extendAliases, FIRST_CLASS_FIELDS, type RunFilter } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { listRunRows } from "./list-run-rows";
import type { RunRows, Scalar } from "./run-rows";
import { analysedRows, factorCandidates, readAnalysisTarget, type RunScope } from "./select-run-factors";

export type FactorImpactInput = {
  project: string;
  filter?: RunFilter;
  /** Numeric run field, e.g. `metrics.val/loss.min`. */
  target: string;
  direction: "minimize" | "maximize";
  /** Factor names (run columns or config keys); default: chosen from the runs (see `selection`). */
  factors?: string[];
  /** Derived runs (compression children and others with a parent run) are left out unless true. */
  includeDerived?: boolean;
  /** A project's own spellings on top of the shared alias table (canonical name → config keys). */
  aliases?: Record<string, string[]>;
};

export type FactorImpact = {
  target: string;
  direction: "minimize" | "maximize";
  factors: string[];
  /** How the factors were chosen: merged aliases, keys that follow a factor, keys set aside and why. Null when `factors` was given. */
  selection: Omit<FactorSelection, "values" | "seed"> & { seedKey: string | null } | null;
  scope: RunScope;
  /** null when too few runs carry the target; `reason` says so. */
  result: FactorImpactResult | null;
  reason: string | null;
  /** Every analysed run with its factor values and target, for strip, scatter and parallel plots. */
  runs: { id: string; name: string; target: number; values: Record<string, FactorValue> }[];
};

const RUN_FACTORS = ["baseModel", "dataset", "method"] as const;

function factorColumn(rows: RunRows, name: string): Scalar[] {
  if ((RUN_FACTORS as readonly string[]).includes(name)) return rows[name as (typeof RUN_FACTORS)[number]];
  if (name === "group") return rows.group;
  const col = Object.hasOwn(rows.config, name) ? rows.config[name] : undefined;
  if (!col) throw new AppError("BAD_REQUEST", `expected a run column (${RUN_FACTORS.join(", ")}, group) or a config key of these runs, got '${name}'`, { field: "factors" });
  return col;
}

function aliasLookup(extra: Record<string, string[]> | undefined): (key: string) => string {
  if (!extra) return (k) => canonicalKey(k);
  const table = extendAliases(extra);
  return (k) => canonicalKey(k, table);
}

/**
 * Which factors move the target across a filtered set of runs: every method of
 * @finetrack/analysis (correlations, forest, fANOVA, PED-ANOVA, ANOVA), the family answer, the
 * seed-noise floor and confounding warnings. Factors are chosen from the runs: aliases merged
 * through the shared table (contracts' CONFIG_ALIASES), keys that follow a factor folded into it,
 * the seed and bookkeeping keys set aside.
 */
export async function computeFactorImpact(db: Db, input: FactorImpactInput): Promise<FactorImpact> {
  const all = await listRunRows(db, { project: input.project, filter: input.filter });
  const { rows, scope } = analysedRows(all, input.includeDerived ?? false);
  const target = readAnalysisTarget(rows, input.target);
  let factors: string[];
  let columns: FactorValue[][];
  let selection: FactorImpact["selection"] = null;
  if (input.factors) {
    factors = input.factors;
    columns = factors.map((f) => factorColumn(rows, f));
  } else {
    // Factors are judged on the runs that carry the target, so a key is constant or follows another there.
    const keep = target.flatMap((t, i) => (t === null ? [] : [i]));
    const sel = selectFactors(
      factorCandidates(rows).map((c) => ({ key: c.key, values: keep.map((i) => c.values[i]) })),
      { canonical: aliasLookup(input.aliases), preferred: [...FIRST_CLASS_FIELDS] },
    );
    const { values: _v, seed, ...rest } = sel;
    selection = { ...rest, seedKey: seed?.key ?? null };
    factors = sel.factors;
    const at = new Map(keep.map((i, k) => [i, k]));
    columns = factors.map((f) => rows.id.map((_, i) => (at.has(i) ? sel.values[f][at.get(i)!] : null)));
  }
  const runs: FactorRun[] = [];
  const points: FactorImpact["runs"] = [];
  rows.id.forEach((id, i) => {
    const values: Record<string, FactorValue> = Object.fromEntries(factors.map((f, k) => [f, columns[k][i]]));
    runs.push({ id, target: target[i], factors: values });
    const t = target[i];
    if (t !== null) points.push({ id, name: rows.name[i], target: t, values });
  });
  const base = { target: input.target, direction: input.direction, factors, selection, scope, runs: points };
  if (points.length < 4) {
    return { ...base, result: null, reason: `Only ${points.length} of ${rows.count} runs have ${input.target}; factor impact needs at least 4.` };
  }
  if (!factors.length) return { ...base, result: null, reason: "Nothing varies across these runs: no base model, dataset, method or config key takes two values." };
  return { ...base, result: factorImpact(runs, { direction: input.direction }), reason: null };
}
