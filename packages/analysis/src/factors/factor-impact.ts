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

/** One factor across methods; `combined` is the mean of fANOVA, permutation and PED-ANOVA shares. */
export interface FactorSummary {
  name: string;
  kind: FactorInfo["kind"];
  family: FactorFamily;
  combined: number;
  fanova: number;
  permutation: number;
  impurity: number;
  pedAnova: number;
  /** Strongest |Spearman| over the factor's rows (levels for categoricals). */
  maxAbsSpearman: number | null;
}

export interface FactorImpactResult {
  direction: Direction;
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

  const factors: FactorSummary[] = enc.factors.map((f, j) => {
    const rows = corr.filter((c) => c.factor === f.name && Number.isFinite(c.spearman.r));
    const parts = [fan[j].importance, forest.factors[j].permutation, ped.factors[j].importance];
    return {
      name: f.name,
      kind: f.kind,
      family: f.family,
      combined: parts.reduce((a, b) => a + b, 0) / parts.length,
      fanova: fan[j].importance,
      permutation: forest.factors[j].permutation,
      impurity: forest.factors[j].impurity,
      pedAnova: ped.factors[j].importance,
      maxAbsSpearman: rows.length ? Math.max(...rows.map((c) => Math.abs(c.spearman.r))) : null,
    };
  });
  factors.sort((a, b) => b.combined - a.combined);

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
    const top = samples.filter((s) => s[i] === Math.max(...s) && s[i] > 0).length;
    return {
      family,
      factors: enc.factors.filter((f) => f.family === family).map((f) => f.name),
      varies: groups[i].length > 0,
      share: point ? point.combined[i] : 0,
      ci95: samples.length ? [quantile(draws, 0.025), quantile(draws, 0.975)] : [NaN, NaN],
      probabilityTop: samples.length ? top / samples.length : NaN,
      byMethod: point && pedFamilies ? { fanova: point.fanova[i], permutation: point.permutation[i], pedAnova: pedFamilies[i] } : null,
    };
  });
  const answer = answerFamilies(families, { runs: n, oobR2: forest.oobR2, bootstrap: B });
  return {
    direction: options.direction,
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
