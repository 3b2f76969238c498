import { AnalysisInputError } from "../errors";
import type { FactorAnalysisOptions, FactorFamily, FactorInfo, FactorKind, FactorRun } from "./types";

export const MISSING_LEVEL = "(missing)";
/** Where a missing numeric value sits on the [0, 1]-scaled axis: below every observed value. */
export const MISSING_NUMERIC = -1;

/** Runs as columns: numeric factors scaled to [0, 1] (log10 first for "log"), missing = −1;
 *  categorical factors as level indices (the "(missing)" level last). */
export interface EncodedRuns {
  ids: string[];
  y: Float64Array;
  factors: FactorInfo[];
  columns: Float64Array[];
  /** Unscaled analysed value (log10 for log factors) of numeric columns, NaN when missing. */
  raw: Float64Array[];
  skipped: { id: string; reason: string }[];
}

const KINDS: FactorKind[] = ["categorical", "numeric", "log"];
const FAMILIES: FactorFamily[] = ["dataset", "base_model", "hyperparameters"];

export function defaultFamily(name: string): FactorFamily {
  if (/^base[_-]?model/i.test(name)) return "base_model";
  if (/^dataset/i.test(name)) return "dataset";
  return "hyperparameters";
}

function checkRuns(runs: unknown): asserts runs is FactorRun[] {
  if (!Array.isArray(runs)) throw new AnalysisInputError("runs", "an array of { id, target, factors }", runs);
  runs.forEach((r, i) => {
    if (r === null || typeof r !== "object") throw new AnalysisInputError(`runs[${i}]`, "an object { id, target, factors }", r);
    if (typeof r.id !== "string") throw new AnalysisInputError(`runs[${i}].id`, "a string", r.id);
    if (r.target !== null && typeof r.target !== "number") throw new AnalysisInputError(`runs[${i}].target`, "a number or null", r.target);
    if (r.factors === null || typeof r.factors !== "object" || Array.isArray(r.factors))
      throw new AnalysisInputError(`runs[${i}].factors`, "an object of factor values", r.factors);
    for (const [k, v] of Object.entries(r.factors))
      if (v !== null && v !== undefined && !["string", "number", "boolean"].includes(typeof v))
        throw new AnalysisInputError(`runs[${i}].factors.${k}`, "a string, number, boolean, null or undefined", v);
  });
}

function checkOptions(o: FactorAnalysisOptions): void {
  if (o.direction !== undefined && o.direction !== "minimize" && o.direction !== "maximize")
    throw new AnalysisInputError("direction", '"minimize" or "maximize"', o.direction);
  for (const [k, v] of Object.entries(o.kinds ?? {}))
    if (!KINDS.includes(v)) throw new AnalysisInputError(`kinds.${k}`, KINDS.map((x) => `"${x}"`).join(" | "), v);
  for (const [k, v] of Object.entries(o.families ?? {}))
    if (!FAMILIES.includes(v)) throw new AnalysisInputError(`families.${k}`, FAMILIES.map((x) => `"${x}"`).join(" | "), v);
  if (o.seed !== undefined && !Number.isFinite(o.seed)) throw new AnalysisInputError("seed", "a finite number", o.seed);
}

/** Validates runs and turns them into columns; the factor set is the union of all runs' keys. */
export function encodeFactors(runs: FactorRun[], options: FactorAnalysisOptions = {}): EncodedRuns {
  checkRuns(runs);
  checkOptions(options);
  const kept: FactorRun[] = [];
  const skipped: { id: string; reason: string }[] = [];
  for (const r of runs) {
    if (r.target === null || !Number.isFinite(r.target)) skipped.push({ id: r.id, reason: `target is ${r.target}` });
    else kept.push(r);
  }
  const names = [...new Set(kept.flatMap((r) => Object.keys(r.factors)))].sort();
  for (const k of Object.keys(options.kinds ?? {})) if (!names.includes(k)) throw new AnalysisInputError(`kinds.${k}`, `one of the factors (${names.join(", ")})`, k);
  const factors: FactorInfo[] = [];
  const columns: Float64Array[] = [];
  const raw: Float64Array[] = [];
  for (const name of names) {
    const values = kept.map((r) => r.factors[name]);
    const present = values.filter((v) => v !== null && v !== undefined) as (string | number | boolean)[];
    const missing = values.length - present.length;
    const family = options.families?.[name] ?? defaultFamily(name);
    const allNumbers = present.every((v) => typeof v === "number" && Number.isFinite(v));
    const kind = options.kinds?.[name] ?? inferKind(name, present, allNumbers);
    if (kind !== "categorical") {
      if (!allNumbers) throw new AnalysisInputError(`kinds.${name}`, `"categorical" (factor ${name} has non-numeric values)`, kind);
      if (kind === "log" && present.some((v) => (v as number) <= 0))
        throw new AnalysisInputError(`kinds.${name}`, `"numeric" or "categorical" (factor ${name} has values <= 0, no log scale)`, kind);
      const a = Float64Array.from(values, (v) => (v === null || v === undefined ? NaN : kind === "log" ? Math.log10(v as number) : (v as number)));
      let min = Infinity;
      let max = -Infinity;
      for (const v of a) {
        if (Number.isNaN(v)) continue;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      const span = max - min;
      columns.push(Float64Array.from(a, (v) => (Number.isNaN(v) ? MISSING_NUMERIC : span > 0 ? (v - min) / span : 0)));
      raw.push(a);
      const varies = span > 0 || (missing > 0 && present.length > 0);
      factors.push({ name, kind, family, present: present.length, missing, min: present.length ? min : undefined, max: present.length ? max : undefined, varies });
    } else {
      const labels = [...new Set(present.map(String))].sort(naturalCompare);
      if (missing > 0) labels.push(MISSING_LEVEL);
      const index = new Map(labels.map((l, i) => [l, i]));
      columns.push(Float64Array.from(values, (v) => index.get(v === null || v === undefined ? MISSING_LEVEL : String(v))!));
      raw.push(new Float64Array(values.length).fill(NaN));
      factors.push({ name, kind, family, present: present.length, missing, levels: labels, varies: labels.length > 1 });
    }
  }
  return { ids: kept.map((r) => r.id), y: Float64Array.from(kept, (r) => r.target as number), factors, columns, raw, skipped };
}

/**
 * Numbers are numeric; positive numbers become "log" when named like a learning rate / decay,
 * or when they span >= 2 decades and bunch at the low end on a linear axis (a geometric grid).
 */
function inferKind(name: string, present: (string | number | boolean)[], allNumbers: boolean): FactorKind {
  if (!allNumbers || present.length === 0) return "categorical";
  const v = Float64Array.from(present as number[]).sort();
  const min = v[0];
  const max = v[v.length - 1];
  if (!(min > 0) || max === min) return "numeric";
  if (/(^|[_.])(lr|learning_?rate|weight_?decay|eps|epsilon)$/i.test(name) || /^(lr|learningRate|weightDecay)$/.test(name)) return "log";
  const median = v[Math.floor(v.length / 2)];
  return max / min >= 100 && (median - min) / (max - min) < 0.25 ? "log" : "numeric";
}

function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}

/** Rows `rows` of an encoding (for bootstrap resamples); factor infos are kept as they are. */
export function selectRows(e: EncodedRuns, rows: ArrayLike<number>): EncodedRuns {
  const pick = (a: Float64Array) => Float64Array.from(rows as ArrayLike<number>, (i) => a[i]);
  return {
    ids: Array.from(rows as ArrayLike<number>, (i) => e.ids[i]),
    y: pick(e.y),
    factors: e.factors,
    columns: e.columns.map(pick),
    raw: e.raw.map(pick),
    skipped: e.skipped,
  };
}
