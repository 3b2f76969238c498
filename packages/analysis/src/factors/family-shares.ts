import type { EncodedRuns } from "./encode-factors";
import { fanovaFromForest } from "./fanova";
import { forestData, groupPermutationIncrease } from "./forest-importance";
import { pedAnovaEncoded } from "./ped-anova";
import { growForest, type Tree } from "./random-forest";
import type { Direction, FactorFamily } from "./types";

export const FAMILIES: FactorFamily[] = ["base_model", "dataset", "hyperparameters"];

export interface FamilyMethodShares {
  /** Summed fANOVA main-effect importances of the family's factors. */
  fanova: number[];
  /** OOB MSE increase when all the family's factors are permuted together, as shares. */
  permutation: number[];
  /** Mean of the variance-based shares (fANOVA and grouped permutation) that found any signal. */
  combined: number[];
}

/** Indices of each family's varying factors, in FAMILIES order. */
export function familyIndex(enc: EncodedRuns): number[][] {
  return FAMILIES.map((fam) => enc.factors.flatMap((f, j) => (f.family === fam && f.varies ? [j] : [])));
}

function normalized(a: number[]): number[] {
  const pos = a.map((v) => (v > 0 && Number.isFinite(v) ? v : 0));
  const s = pos.reduce((x, y) => x + y, 0);
  return s > 0 ? pos.map((v) => v / s) : pos;
}

/** Family shares by fANOVA and by grouped permutation, and their mean. */
export function familyShares(enc: EncodedRuns, trees: Tree[], seed: number): FamilyMethodShares {
  const groups = familyIndex(enc);
  const imp = fanovaFromForest(enc, trees).map((f) => f.importance);
  const fanova = normalized(groups.map((g) => g.reduce((s, j) => s + imp[j], 0)));
  const perm = groupPermutationIncrease(enc, trees, groups, seed);
  const permutation = normalized(Array.from(perm.mean, (v, i) => (groups[i].length ? v : 0)));
  const methods = [fanova, permutation].filter((m) => m.some((v) => v > 0));
  const combined = FAMILIES.map((_, i) => (methods.length ? methods.reduce((s, m) => s + m[i], 0) / methods.length : 0));
  return { fanova, permutation, combined };
}

/**
 * Summed PED-ANOVA importances per family: what it takes to reach the top runs. Reported beside
 * the combined share but not part of it: with few top runs every factor's divergence carries
 * sampling noise, so a sum favours families with many factors.
 */
export function familyPedAnova(enc: EncodedRuns, direction: Direction, quantile: number): number[] {
  const groups = familyIndex(enc);
  const imp = pedAnovaEncoded(enc, direction, quantile).factors.map((f) => f.importance);
  return normalized(groups.map((g) => g.reduce((s, j) => s + imp[j], 0)));
}

/** Combined family shares on a bootstrap resample, with a smaller forest. */
export function bootstrapFamilyShares(enc: EncodedRuns, seed: number, trees: number): number[] {
  return familyShares(enc, growForest(forestData(enc), { trees, seed }), seed).combined;
}
