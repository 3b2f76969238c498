import { factorImpact, type FactorImpactResult, type FactorRun, type FactorValue } from "@finetrack/analysis";
import type { RunFilter } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { listRunRows } from "./list-run-rows";
import { readTarget } from "./read-run-field";
import type { RunRows, Scalar } from "./run-rows";

export type FactorImpactInput = {
  project: string;
  filter?: RunFilter;
  /** Numeric run field, e.g. `metrics.val/loss.min`. */
  target: string;
  direction: "minimize" | "maximize";
  /** Factor names (run columns or config keys); default: base model, dataset, method and every varying config key. */
  factors?: string[];
};

export type FactorImpact = {
  target: string;
  direction: "minimize" | "maximize";
  factors: string[];
  /** null when too few runs carry the target; `reason` says so. */
  result: FactorImpactResult | null;
  reason: string | null;
  /** Every analysed run with its factor values and target, for strip, scatter and parallel plots. */
  runs: { id: string; name: string; target: number; values: Record<string, FactorValue> }[];
};

const RUN_FACTORS = ["baseModel", "dataset", "method"] as const;
/** Config keys that label a run rather than set it up. */
const NOT_A_FACTOR = /(^|[._])(seed|run_?name|output_?dir|logging_dir|run_?id|name)$/i;

function isFactorColumn(values: Scalar[], n: number): boolean {
  const present = values.filter((v) => v !== null);
  const distinct = new Set(present.map((v) => String(v)));
  if (distinct.size < 2) return false;
  // Free text (paths, names) has about one level per run: it names runs, it does not group them.
  const textual = present.some((v) => typeof v === "string");
  return !textual || distinct.size <= Math.max(12, n / 3);
}

function defaultFactors(rows: RunRows): string[] {
  const out: string[] = RUN_FACTORS.filter((f) => isFactorColumn(rows[f], rows.count));
  for (const [key, values] of Object.entries(rows.config)) {
    if (NOT_A_FACTOR.test(key) || (RUN_FACTORS as readonly string[]).includes(key)) continue;
    if (isFactorColumn(values, rows.count)) out.push(key);
  }
  return out;
}

function factorColumn(rows: RunRows, name: string): Scalar[] {
  if ((RUN_FACTORS as readonly string[]).includes(name)) return rows[name as (typeof RUN_FACTORS)[number]];
  if (name === "group") return rows.group;
  const col = rows.config[name];
  if (!col) throw new AppError("BAD_REQUEST", `expected a run column (${RUN_FACTORS.join(", ")}, group) or a config key of these runs, got '${name}'`, { field: "factors" });
  return col;
}

/**
 * Which factors move the target across a filtered set of runs: every method of
 * @finetrack/analysis (correlations, forest, fANOVA, PED-ANOVA, ANOVA) and the family answer.
 */
export async function computeFactorImpact(db: Db, input: FactorImpactInput): Promise<FactorImpact> {
  const rows = await listRunRows(db, { project: input.project, filter: input.filter });
  const target = readTarget(rows, input.target);
  const factors = input.factors ?? defaultFactors(rows);
  const columns = factors.map((f) => factorColumn(rows, f));
  const runs: FactorRun[] = [];
  const points: FactorImpact["runs"] = [];
  rows.id.forEach((id, i) => {
    const values: Record<string, FactorValue> = Object.fromEntries(factors.map((f, k) => [f, columns[k][i]]));
    runs.push({ id, target: target[i], factors: values });
    const t = target[i];
    if (t !== null) points.push({ id, name: rows.name[i], target: t, values });
  });
  const base = { target: input.target, direction: input.direction, factors, runs: points };
  if (points.length < 4) {
    return { ...base, result: null, reason: `Only ${points.length} of ${rows.count} runs have ${input.target}; factor impact needs at least 4.` };
  }
  if (!factors.length) return { ...base, result: null, reason: "Nothing varies across these runs: no base model, dataset, method or config key takes two values." };
  return { ...base, result: factorImpact(runs, { direction: input.direction }), reason: null };
}
