import { fmt } from "../overfitting/format-number";
import type { FactorFamily } from "./types";

export interface FamilyImpact {
  family: FactorFamily;
  /** Factors of the family present in the runs. */
  factors: string[];
  /** False when none of the family's factors varies across the runs (nothing to attribute). */
  varies: boolean;
  /** Share of the explained variation attributed to the family (families sum to 1 when any signal). */
  share: number;
  /** Bootstrap 95% percentile interval of the share. */
  ci95: [number, number];
  /** Fraction of bootstrap resamples in which this family had the largest share. */
  probabilityTop: number;
  /** Per-method family shares; `share` is the mean of fanova and permutation. PED-ANOVA (reaching the
   *  top runs) is shown for context: at small N it favours families with many factors. */
  byMethod: { fanova: number; permutation: number; pedAnova: number } | null;
}

export interface FamilyAnswer {
  /** "Base model matters most for these runs: 58% (95% CI 41–72%) …". */
  text: string;
  topFamily: FactorFamily | null;
  confidence: "high" | "medium" | "low" | "none";
  caveats: string[];
}

export const FAMILY_LABEL: Record<FactorFamily, string> = { base_model: "base model", dataset: "dataset", hyperparameters: "hyperparameters" };

const percent = (x: number) => `${Math.round(100 * x)}%`;
const capital = (s: string) => s[0].toUpperCase() + s.slice(1);

/** The one-line answer, with the caveats a careful analyst would add. */
export function answerFamilies(families: FamilyImpact[], ctx: { runs: number; oobR2: number; bootstrap: number }): FamilyAnswer {
  const caveats: string[] = [];
  const varying = families.filter((f) => f.varies);
  for (const f of families)
    if (!f.varies) caveats.push(f.factors.length ? `${FAMILY_LABEL[f.family]} did not vary across these runs, so its impact cannot be judged` : `no ${FAMILY_LABEL[f.family]} factor was logged`);
  if (ctx.runs < 4) return { text: `Too few runs (${ctx.runs}) to say which factor family matters.`, topFamily: null, confidence: "none", caveats };
  if (varying.length === 0) return { text: "Nothing varies across these runs, so no factor can explain the target.", topFamily: null, confidence: "none", caveats };
  const sorted = [...varying].sort((a, b) => b.share - a.share);
  const top = sorted[0];
  if (!(top.share > 0)) return { text: "None of the factors explains the target across these runs.", topFamily: null, confidence: "none", caveats };
  const rest = sorted.slice(1).map((f) => `${FAMILY_LABEL[f.family]} ${percent(f.share)}`);
  const ci = Number.isFinite(top.ci95[0]) ? ` (95% CI ${percent(top.ci95[0])}–${percent(top.ci95[1])})` : "";
  const text =
    varying.length === 1
      ? `Only ${FAMILY_LABEL[top.family]} varies across these ${ctx.runs} runs; its factors carry all the explained variation.`
      : `${capital(FAMILY_LABEL[top.family])} matters most for these runs: ${percent(top.share)} of the explained variation${ci}, then ${rest.join(" and ")} (N = ${ctx.runs} runs).`;
  if (ctx.runs < 20) caveats.unshift(`only ${ctx.runs} runs: treat this as a hint, not a finding — aim for at least 30 before acting on it`);
  if (varying.length > 1 && Number.isFinite(top.probabilityTop) && top.probabilityTop < 0.7)
    caveats.push(`too close to call: ${FAMILY_LABEL[top.family]} is on top in only ${percent(top.probabilityTop)} of ${ctx.bootstrap} bootstrap resamples`);
  if (Number.isFinite(ctx.oobR2) && ctx.oobR2 < 0.1)
    caveats.push(`the factors explain little of the target (out-of-bag R² ${fmt(ctx.oobR2, 2)}): differences between runs may be mostly noise, e.g. seeds`);
  if (top.byMethod && varying.length > 1) {
    const winners = (["fanova", "permutation"] as const).map((m) => [m, [...varying].sort((a, b) => b.byMethod![m] - a.byMethod![m])[0].family] as const);
    const disagree = winners.filter(([, fam]) => fam !== top.family);
    if (disagree.length) caveats.push(`methods disagree: ${winners.map(([m, fam]) => `${m} → ${FAMILY_LABEL[fam]}`).join(", ")}`);
  }
  const pTop = varying.length === 1 ? 1 : top.probabilityTop;
  const confidence = ctx.runs >= 30 && pTop >= 0.9 && !(ctx.oobR2 < 0.3) ? "high" : ctx.runs >= 10 && pTop >= 0.7 && !(ctx.oobR2 < 0.1) ? "medium" : "low";
  return { text, topFamily: top.family, confidence, caveats };
}
