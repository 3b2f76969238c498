import { AnalysisInputError } from "../errors";
import { quantile } from "../math/descriptive";
import { createRng, randomInt } from "../math/rng";
import { anova, type AnovaResult } from "./anova";
import { correlations, type FactorCorrelation } from "./correlations";
import { encodeFactors, selectRows } from "./encode-factors";
import { fanovaFromForest, type FactorFanova } from "./fanova";
import { FAMILIES, bootstrapFamilyShares, familyIndex, familyPedAnova, familyShares } from "./family-shares";
import { forestData, importancesFromForest, type ForestImportanceResult } from "./forest-importance";
import { pedAnovaEncoded, type FactorPedAnova } from "./ped-anova";
import { growForest } from "./random-forest";
import { answerFamilies, type FamilyAnswer, type FamilyImpact } from "./answer-families";
import { confounding, type ConfoundingWarning } from "./confounding";
import { replicateNoise, type ReplicateNoise } from "./replicate-noise";
import type { Direction, FactorAnalysisOptions, FactorFamily, FactorInfo, FactorRun } from "./types";

export interface FactorImpactOptions extends FactorAnalysisOptions {
  direction: Direction;
  /** Trees of the main forest (default 64). */
  trees?: number;
  /** Bootstrap resamples for the family interval (default 40 up to 200 runs, then fewer, at least 10). */
  bootstrap?: number;
  /** PED-ANOVA's top quantile (default 0.1). */
  quantile?: number;
}

/** One factor across methods; `combined` is the fit-weighted mean of the methods' shares (see `methods`). */
export interface FactorSummary {
  name: string;
  kind: FactorInfo["kind"];
  family: FactorFamily;
  combined: number;
  /** Type II ANOVA share of the explained sum of squares (level factors; 0 otherwise). */
  anova: number;
  /** Smallest p-value backing an effect: the ANOVA term's, or the strongest correlation's. */
  pValue: number | null;
  /** Evidence of an effect: p < 0.05, or a large share by a forest that fits. Ranked ahead of the rest. */
  effect: boolean;
  fanova: number;
  permutation: number;
  impurity: number;
  pedAnova: number;
  /** Strongest |Spearman| over the factor's rows (levels for categoricals). */
  maxAbsSpearman: number | null;
}

/** How much each method counts in `combined`, and why a method was weighted down or dropped. */
export interface MethodWeights {
  fanova: number;
  permutation: number;
  pedAnova: number;
  anova: number;
  notes: string[];
}

export interface FactorImpactResult {
  direction: Direction;
  methods: MethodWeights;
  /** Spread of runs that agree on every factor (seeds): the floor no factor explains. */
  noise: ReplicateNoise | null;
  /** Pairs of factors that move together, with what changes once that is accounted for. */
  confounding: ConfoundingWarning[];
  runs: number;
  skipped: { id: string; reason: string }[];
  info: FactorInfo[];
  /** Factors ordered by combined importance. */
  factors: FactorSummary[];
  correlations: FactorCorrelation[];
  forest: Omit<ForestImportanceResult, "info" | "skipped">;
  fanova: FactorFanova[];
  pedAnova: { factors: FactorPedAnova[]; topRuns: number };
  anova: Omit<AnovaResult, "info" | "skipped">;
  families: FamilyImpact[];
  /** The one-line answer to "which matters most for these runs", with its caveats. */
  answer: FamilyAnswer;
  seed: number;
}

/**
 * Every factor-impact method on one set of runs, and the family answer: which of dataset, base
 * model and hyperparameters moves the target most. A family's share is the mean of its fANOVA,
 * grouped-permutation and PED-ANOVA shares; its 95% interval and the probability that it is on top
 * come from a bootstrap over runs (seeded, so the answer is deterministic).
 */
export function factorImpact(runs: FactorRun[], options: FactorImpactOptions): FactorImpactResult {
  if (!options || (options.direction !== "minimize" && options.direction !== "maximize"))
    throw new AnalysisInputError("direction", '"minimize" or "maximize"', options?.direction);
  const seed = options.seed ?? 42;
  const pedQuantile = options.quantile ?? 0.1;
  if (!(pedQuantile > 0 && pedQuantile <= 1)) throw new AnalysisInputError("quantile", "a number in (0, 1]", pedQuantile);
  if (options.bootstrap !== undefined && !(Number.isInteger(options.bootstrap) && options.bootstrap >= 0))
    throw new AnalysisInputError("bootstrap", "an integer >= 0", options.bootstrap);
  const enc = encodeFactors(runs, options);
  const n = enc.y.length;
  const trees = n >= 2 ? growForest(forestData(enc), { trees: options.trees ?? 64, seed }) : [];
  const forest = importancesFromForest(enc, trees, seed);
  const fan = fanovaFromForest(enc, trees);
  const ped = pedAnovaEncoded(enc, options.direction, pedQuantile);
  const corr = correlations(runs, options).correlations;
  const { info: _i, skipped: _s, ...anovaResult } = anova(runs, options);

  const methods = methodWeights(forest.oobR2, ped.topRuns, anovaResult.multiWay);
  const anovaShare = anovaShares(enc.factors.map((f) => f.name), anovaResult.multiWay);
  const factors: FactorSummary[] = enc.factors.map((f, j) => {
    const rows = corr.filter((c) => c.factor === f.name && Number.isFinite(c.spearman.r));
    const parts: [number, number][] = [
      [fan[j].importance, methods.fanova],
      [forest.factors[j].permutation, methods.permutation],
      [ped.factors[j].importance, methods.pedAnova],
      [anovaShare[j].share, anovaShare[j].covered ? methods.anova : 0],
    ];
    const weight = parts.reduce((a, [, w]) => a + w, 0);
    const combined = weight > 0 ? parts.reduce((a, [v, w]) => a + v * w, 0) / weight : 0;
    const pCorr = rows.length ? Math.min(...rows.map((c) => c.spearman.pValue).filter(Number.isFinite)) : NaN;
    const pValue = Number.isFinite(anovaShare[j].pValue) ? anovaShare[j].pValue : Number.isFinite(pCorr) ? pCorr : null;
    return {
      name: f.name,
      kind: f.kind,
      family: f.family,
      combined,
      anova: anovaShare[j].share,
      pValue,
      effect: f.varies && ((pValue !== null && pValue < 0.05) || (methods.fanova > 0.5 && fan[j].importance > 0.1)),
      fanova: fan[j].importance,
      permutation: forest.factors[j].permutation,
      impurity: forest.factors[j].impurity,
      pedAnova: ped.factors[j].importance,
      maxAbsSpearman: rows.length ? Math.max(...rows.map((c) => Math.abs(c.spearman.r))) : null,
    };
  });
  // A factor with evidence of an effect always ranks above one without, whatever a method says.
  factors.sort((a, b) => Number(b.effect) - Number(a.effect) || b.combined - a.combined);

  const point = n >= 4 ? familyShares(enc, trees, seed) : null;
  const pedFamilies = n >= 4 ? familyPedAnova(enc, options.direction, pedQuantile) : null;
  const B = options.bootstrap ?? (n < 4 ? 0 : Math.max(10, Math.min(40, Math.round(8_000 / n))));
  const bootTrees = n <= 300 ? 16 : 8;
  const rng = createRng(seed + 104_729);
  const samples: number[][] = [];
  for (let b = 0; b < B; b++) {
    const rows = Int32Array.from({ length: n }, () => randomInt(rng, n));
    samples.push(bootstrapFamilyShares(selectRows(enc, rows), seed + b + 1, bootTrees));
  }
  const groups = familyIndex(enc);
  const families: FamilyImpact[] = FAMILIES.map((family, i) => {
    const draws = Float64Array.from(samples, (s) => s[i]).sort();
    // One estimator for the share and its interval: the bootstrap distribution's median and percentiles.
    const share = samples.length >= 10 ? quantile(draws, 0.5) : point ? point.combined[i] : 0;
    const top = samples.filter((s) => s[i] === Math.max(...s) && s[i] > 0).length;
    return {
      family,
      factors: enc.factors.filter((f) => f.family === family).map((f) => f.name),
      varies: groups[i].length > 0,
      share,
      ci95: samples.length ? [quantile(draws, 0.025), quantile(draws, 0.975)] : [NaN, NaN],
      probabilityTop: samples.length ? top / samples.length : NaN,
      byMethod: point && pedFamilies ? { fanova: point.fanova[i], permutation: point.permutation[i], pedAnova: pedFamilies[i] } : null,
    };
  });
  const answer = answerFamilies(families, { runs: n, oobR2: forest.oobR2, bootstrap: B });
  return {
    direction: options.direction,
    methods,
    noise: replicateNoise(enc),
    confounding: confounding(enc),
    runs: n,
    skipped: enc.skipped,
    info: enc.factors,
    factors,
    correlations: corr,
    forest,
    fanova: fan,
    pedAnova: { factors: ped.factors, topRuns: ped.topRuns },
    anova: anovaResult,
    families,
    answer,
    seed,
  };
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/**
 * Methods count by how well they fit these runs: the forest's (fANOVA, permutation) by its
 * out-of-bag R² (none below 0.1, full from 0.3), PED-ANOVA by its number of top-quantile runs
 * (none up to 5, full from 15: with 2–3 "good" runs its densities are noise), ANOVA by its
 * residual degrees of freedom (none without, full from 5).
 */
function methodWeights(oobR2: number, topRuns: number, table: AnovaResult["multiWay"]): MethodWeights {
  const notes: string[] = [];
  const forest = Number.isFinite(oobR2) ? clamp01((oobR2 - 0.1) / 0.2) : 1;
  if (forest < 1) notes.push(`forest fits poorly (out-of-bag R² ${oobR2.toFixed(2)}): fANOVA and permutation ${forest === 0 ? "left out" : `weighted ${forest.toFixed(2)}`}`);
  const ped = clamp01((topRuns - 5) / 10);
  if (ped < 1) notes.push(`PED-ANOVA has only ${topRuns} top-quantile runs: ${ped === 0 ? "left out" : `weighted ${ped.toFixed(2)}`} of the combined ranking`);
  const anovaW = table ? clamp01(table.residual.df / 5) : 0;
  if (!table) notes.push("no multi-way ANOVA (too few runs or no level factor): left out");
  const w = { fanova: forest, permutation: forest, pedAnova: ped, anova: anovaW };
  if (w.fanova + w.permutation + w.pedAnova + w.anova === 0) {
    notes.push("no method fits these runs well: every method counted equally");
    return { fanova: 1, permutation: 1, pedAnova: 1, anova: table ? 1 : 0, notes };
  }
  return { ...w, notes };
}

/** Each factor's share of the summed type II main-effect sums of squares, and its p-value. */
function anovaShares(names: string[], table: AnovaResult["multiWay"]): { share: number; pValue: number; covered: boolean }[] {
  if (!table) return names.map(() => ({ share: 0, pValue: NaN, covered: false }));
  const main = new Map(table.rows.filter((r) => r.factors.length === 1).map((r) => [r.factors[0], r]));
  const total = [...main.values()].reduce((a, r) => a + r.sumSq, 0);
  return names.map((name) => {
    const r = main.get(name);
    const aliased = table.aliased.some((a) => a.term === name);
    return { share: r && total > 0 ? r.sumSq / total : 0, pValue: r ? r.pValue : NaN, covered: !!r || aliased };
  });
}
