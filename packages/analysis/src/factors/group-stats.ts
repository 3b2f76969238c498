import { AnalysisInputError } from "../errors";
import { mean, sampleVariance } from "../math/descriptive";
import { studentTQuantile } from "../math/special-functions";
import { encodeFactors, MISSING_LEVEL } from "./encode-factors";
import type { FactorRun } from "./types";

export interface Stats {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); NaN for n < 2. */
  std: number;
  /** Standard error of the mean, std / √n. */
  sem: number;
  /** 95% confidence interval of the mean, Student t with n − 1 df; NaN bounds for n < 2. */
  ci95: [number, number];
  min: number;
  max: number;
}

export interface GroupStats {
  /** Level of each grouping factor ("(missing)" when a run lacks it). */
  key: Record<string, string>;
  stats: Stats;
  runIds: string[];
}

export interface GroupStatsResult {
  /** Per factor, per level (marginal over the other factors). */
  perLevel: { factor: string; groups: GroupStats[] }[];
  /** Per combination of all `by` factors (the ablation grid cells), in level order. */
  perCombination: GroupStats[];
  overall: Stats;
  skipped: { id: string; reason: string }[];
}

export function describeValues(values: number[]): Stats {
  const n = values.length;
  const m = mean(values);
  const std = Math.sqrt(sampleVariance(values));
  const sem = std / Math.sqrt(n);
  const t = n >= 2 ? studentTQuantile(0.975, n - 1) : NaN;
  let min = NaN;
  let max = NaN;
  for (const v of values) {
    min = v < min || Number.isNaN(min) ? v : min;
    max = v > max || Number.isNaN(max) ? v : max;
  }
  return { n, mean: m, std, sem, ci95: [m - t * sem, m + t * sem], min, max };
}

/**
 * Seed and ablation statistics: mean, std, SEM, 95% CI and N of the target per level of each
 * factor in `by` and per combination of them (e.g. base_model × method × dataset).
 */
export function groupStats(runs: FactorRun[], by: string[]): GroupStatsResult {
  if (!Array.isArray(runs)) throw new AnalysisInputError("runs", "an array of { id, target, factors }", runs);
  if (!Array.isArray(by) || by.some((b) => typeof b !== "string")) throw new AnalysisInputError("by", "an array of factor names", by);
  const enc = encodeFactors(
    runs.map((r) => ({ ...r, factors: Object.fromEntries(by.map((b) => [b, r?.factors?.[b] == null ? null : String(r.factors[b])])) })),
    { kinds: Object.fromEntries(by.map((b) => [b, "categorical" as const])) },
  );
  const labelOf = (j: number, i: number) => enc.factors[j].levels![enc.columns[j][i]];
  const collect = (keyOf: (i: number) => string) => {
    const groups = new Map<string, number[]>();
    for (let i = 0; i < enc.y.length; i++) {
      const k = keyOf(i);
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k)!.push(i);
    }
    return groups;
  };
  const idx = (name: string) => enc.factors.findIndex((f) => f.name === name);
  const toGroup = (rows: number[], key: Record<string, string>): GroupStats => ({
    key,
    stats: describeValues(rows.map((i) => enc.y[i])),
    runIds: rows.map((i) => enc.ids[i]),
  });
  const perLevel = by.map((name) => {
    const j = idx(name);
    if (j < 0) return { factor: name, groups: [toGroup(Array.from(enc.y, (_, i) => i), { [name]: MISSING_LEVEL })].filter((g) => g.stats.n > 0) };
    const groups = collect((i) => String(enc.columns[j][i]));
    const ordered = [...groups.entries()].sort((a, b) => Number(a[0]) - Number(b[0]));
    return { factor: name, groups: ordered.map(([, rows]) => toGroup(rows, { [name]: labelOf(j, rows[0]) })) };
  });
  const js = by.map(idx);
  const combos = collect((i) => js.map((j) => (j < 0 ? -1 : enc.columns[j][i])).join("|"));
  const perCombination = [...combos.entries()]
    .sort((a, b) => compareCodes(a[0], b[0]))
    .map(([, rows]) => toGroup(rows, Object.fromEntries(by.map((name, k) => [name, js[k] < 0 ? MISSING_LEVEL : labelOf(js[k], rows[0])]))));
  return { perLevel, perCombination, overall: describeValues(Array.from(enc.y)), skipped: enc.skipped };
}

function compareCodes(a: string, b: string): number {
  const x = a.split("|").map(Number);
  const y = b.split("|").map(Number);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}
