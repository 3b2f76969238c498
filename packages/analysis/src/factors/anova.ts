import { AnalysisInputError } from "../errors";
import { leastSquaresRss } from "../math/least-squares";
import { fSurvival } from "../math/special-functions";
import { encodeFactors, type EncodedRuns } from "./encode-factors";
import { determines as follows } from "./select-factors";
import type { FactorAnalysisOptions, FactorInfo, FactorRun } from "./types";

export interface AnovaRow {
  /** "base_model" or "base_model:method". */
  term: string;
  factors: string[];
  df: number;
  sumSq: number;
  meanSq: number;
  F: number;
  pValue: number;
  /** SS_term / SS_total. */
  etaSq: number;
  /** SS_term / (SS_term + SS_residual). */
  partialEtaSq: number;
}

export interface OneWayAnova extends AnovaRow {
  levels: { level: string; n: number; mean: number }[];
  residualDf: number;
}

export interface AnovaTable {
  rows: AnovaRow[];
  residual: { df: number; sumSq: number; meanSq: number };
  totalSumSq: number;
  n: number;
  /** Terms the runs cannot estimate (df 0), with the reason, instead of rows of NaN. */
  aliased: { term: string; reason: string }[];
  /** Sums of squares are type II (each term adjusted for every term that does not contain it). */
  ssType: 2;
}

export interface AnovaResult {
  /** One-way ANOVA per factor (scipy.stats.f_oneway). */
  oneWay: OneWayAnova[];
  /** Main effects and two-way interactions together, type II SS (statsmodels anova_lm(typ=2)). */
  multiWay: AnovaTable | null;
  /** Factors analysed as levels: categorical ones and numeric ones with at most `maxLevels` values. */
  factors: string[];
  notes: string[];
  info: FactorInfo[];
  skipped: { id: string; reason: string }[];
}

export interface AnovaOptions extends FactorAnalysisOptions {
  /** Restrict to these factors. */
  factors?: string[];
  /** true: every pair (up to 5 factors); false: main effects only; or explicit pairs. Default true. */
  interactions?: boolean | [string, string][];
  /** Numeric factors with at most this many distinct values are treated as levels. Default 6. */
  maxLevels?: number;
}

/**
 * ANOVA of the target on categorical factors: one-way per factor and a multi-way model with main
 * effects and two-way interactions (e.g. base_model × method) using type II sums of squares, so
 * unbalanced designs are handled; F, p-value, η² and partial η² per term.
 */
export function anova(runs: FactorRun[], options: AnovaOptions = {}): AnovaResult {
  const enc = encodeFactors(runs, options);
  const maxLevels = options.maxLevels ?? 6;
  for (const f of options.factors ?? []) if (!enc.factors.some((x) => x.name === f)) throw new AnalysisInputError("factors", `names of factors present in the runs`, f);
  const notes: string[] = [];
  const levelsOf = new Map<string, Int32Array>();
  const labelsOf = new Map<string, string[]>();
  enc.factors.forEach((f, j) => {
    if (options.factors && !options.factors.includes(f.name)) return;
    const coded = asLevels(enc, j, maxLevels);
    if (!coded) return;
    if (coded.labels.length < 2) return void notes.push(`${f.name} has a single level and is left out`);
    levelsOf.set(f.name, coded.codes);
    labelsOf.set(f.name, coded.labels);
  });
  const names = [...levelsOf.keys()];
  const oneWay = names.map((name) => oneWayAnova(name, levelsOf.get(name)!, labelsOf.get(name)!, enc.y));
  let pairs: [string, string][] = [];
  if (options.interactions === undefined || options.interactions === true) {
    if (names.length <= 5) for (let a = 0; a < names.length; a++) for (let b = a + 1; b < names.length; b++) pairs.push([names[a], names[b]]);
    else notes.push(`${names.length} factors: interactions left out (pass explicit pairs to include some)`);
  } else if (Array.isArray(options.interactions)) {
    for (const [a, b] of options.interactions)
      if (!levelsOf.has(a) || !levelsOf.has(b)) throw new AnalysisInputError("interactions", `pairs of level factors (${names.join(", ")})`, `${a}:${b}`);
    pairs = options.interactions;
  }
  let multiWay = names.length ? typeIIAnova(names, pairs, levelsOf, enc.y) : null;
  if (multiWay && multiWay.residual.df < 2 && pairs.length) {
    notes.push("too few runs for interactions (residual df < 2): main effects only");
    multiWay = typeIIAnova(names, [], levelsOf, enc.y);
  }
  if (multiWay && multiWay.residual.df < 1) {
    notes.push("no residual degrees of freedom: multi-way ANOVA not possible");
    multiWay = null;
  }
  return { oneWay, multiWay, factors: names, notes, info: enc.factors, skipped: enc.skipped };
}

/** A factor as level codes: categoricals as they are, numerics with at most `maxLevels` values as levels; else null. */
export function asLevels(enc: EncodedRuns, j: number, maxLevels: number): { codes: Int32Array; labels: string[] } | null {
  const f = enc.factors[j];
  if (f.kind === "categorical") return { codes: Int32Array.from(enc.columns[j]), labels: f.levels! };
  const raw = enc.raw[j];
  const distinct = [...new Set(Array.from(raw).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
  if (distinct.length > maxLevels) return null;
  const labels = distinct.map((v) => String(f.kind === "log" ? Number((10 ** v).toPrecision(12)) : v));
  const hasMissing = f.missing > 0;
  if (hasMissing) labels.push("(missing)");
  const codes = Int32Array.from(raw, (v) => (Number.isNaN(v) ? distinct.length : distinct.indexOf(v)));
  return { codes, labels };
}

function oneWayAnova(name: string, codes: Int32Array, labels: string[], y: Float64Array): OneWayAnova {
  const L = labels.length;
  const sum = new Float64Array(L);
  const cnt = new Float64Array(L);
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    sum[codes[i]] += y[i];
    cnt[codes[i]]++;
    total += y[i];
  }
  const mean = total / y.length;
  let ssb = 0;
  let sst = 0;
  for (let l = 0; l < L; l++) if (cnt[l]) ssb += cnt[l] * (sum[l] / cnt[l] - mean) ** 2;
  for (let i = 0; i < y.length; i++) sst += (y[i] - mean) ** 2;
  const k = cnt.filter((c) => c > 0).length;
  const ssw = Math.max(0, sst - ssb);
  const df = k - 1;
  const residualDf = y.length - k;
  const F = df > 0 && residualDf > 0 ? ssb / df / (ssw / residualDf) : NaN;
  return {
    term: name,
    factors: [name],
    df,
    sumSq: ssb,
    meanSq: df > 0 ? ssb / df : NaN,
    F,
    pValue: Number.isNaN(F) ? NaN : fSurvival(F, df, residualDf),
    etaSq: sst > 0 ? ssb / sst : NaN,
    partialEtaSq: ssb + ssw > 0 ? ssb / (ssb + ssw) : NaN,
    levels: labels.map((level, l) => ({ level, n: cnt[l], mean: cnt[l] ? sum[l] / cnt[l] : NaN })).filter((x) => x.n > 0),
    residualDf,
  };
}

type Term = string[];

function termColumns(term: Term, levels: Map<string, Int32Array>, n: number): Float64Array[] {
  const dummies = term.map((name) => {
    const codes = levels.get(name)!;
    const L = Math.max(...codes) + 1;
    // Treatment coding: level 0 is the reference.
    return Array.from({ length: L - 1 }, (_, l) => Float64Array.from(codes, (c) => (c === l + 1 ? 1 : 0)));
  });
  if (term.length === 1) return dummies[0];
  const out: Float64Array[] = [];
  for (const a of dummies[0]) for (const b of dummies[1]) out.push(Float64Array.from({ length: n }, (_, i) => a[i] * b[i]));
  return out;
}

function typeIIAnova(names: string[], pairs: [string, string][], levels: Map<string, Int32Array>, y: Float64Array): AnovaTable {
  const n = y.length;
  const terms: Term[] = [...names.map((x) => [x]), ...pairs.map(([a, b]) => [a, b])];
  const cols = terms.map((t) => termColumns(t, levels, n));
  const intercept = new Float64Array(n).fill(1);
  const fit = (use: boolean[]) => leastSquaresRss([intercept, ...cols.filter((_, i) => use[i]).flat()], y);
  const full = fit(terms.map(() => true));
  const mean = y.reduce((a, b) => a + b, 0) / n;
  const totalSumSq = y.reduce((a, b) => a + (b - mean) ** 2, 0);
  const residual = { df: n - full.rank, sumSq: full.rss, meanSq: full.rss / (n - full.rank) };
  const rows = terms.map((term, ti) => {
    // Type II: compare the model of every term not containing this one, with and without it.
    const without = terms.map((t) => !term.every((f) => t.includes(f)));
    const withIt = without.map((u, i) => u || i === ti);
    const a = fit(without);
    const b = fit(withIt);
    const sumSq = Math.max(0, a.rss - b.rss);
    const df = b.rank - a.rank;
    const F = df > 0 && residual.df > 0 ? sumSq / df / residual.meanSq : NaN;
    return {
      term: term.join(":"),
      factors: term,
      df,
      sumSq,
      meanSq: df > 0 ? sumSq / df : NaN,
      F,
      pValue: Number.isNaN(F) ? NaN : fSurvival(F, df, residual.df),
      etaSq: totalSumSq > 0 ? sumSq / totalSumSq : NaN,
      partialEtaSq: sumSq + residual.sumSq > 0 ? sumSq / (sumSq + residual.sumSq) : NaN,
    };
  });
  const aliased = rows.filter((r) => r.df <= 0).map((r) => ({ term: r.term, reason: aliasReason(r.factors, names, levels) }));
  return { rows: rows.filter((r) => r.df > 0), residual, totalSumSq, n, aliased, ssType: 2 };
}

/** Why a term has no degrees of freedom left: which other factor it is aliased with or determined by. */
function aliasReason(term: Term, names: string[], levels: Map<string, Int32Array>): string {
  if (term.length === 1) {
    const [f] = term;
    for (const g of names) {
      if (g === f) continue;
      const fg = follows(levels.get(g)!, levels.get(f)!);
      if (fg && follows(levels.get(f)!, levels.get(g)!)) return `${f} is aliased with ${g}: they change together in every run, so their effects cannot be separated`;
      if (fg) return `${f} is determined by ${g} in these runs, so it has no effect of its own to estimate`;
    }
    return `${f} is determined by the other factors together in these runs, so it has no effect of its own to estimate`;
  }
  const [a, b] = term;
  if (follows(levels.get(a)!, levels.get(b)!) || follows(levels.get(b)!, levels.get(a)!))
    return `${a} × ${b} cannot be estimated: one of them follows from the other in these runs`;
  return `${a} × ${b} cannot be estimated: too few of their combinations were run to separate it from the main effects`;
}
