import { leastSquaresRss } from "../math/least-squares";
import { pct } from "../overfitting/format-number";
import { asLevels } from "./anova";
import { MISSING_LEVEL, type EncodedRuns } from "./encode-factors";

export interface ConfoundingSuggestion {
  /** The cell to run: factor → level. */
  levels: Record<string, string>;
  /** Runs in that cell so far. */
  runs: number;
  /** Runs a balanced design would have put there (row total × column total / N). */
  expected: number;
  text: string;
}

export interface ConfoundingWarning {
  factors: [string, string];
  /** Cramér's V of the two factors' levels over the runs where both are set (0 = independent, 1 = one follows the other). */
  cramersV: number;
  /** Runs per combination: counts[i][j] for levels[0][i] × levels[1][j]. */
  levels: [string[], string[]];
  counts: number[][];
  /** Share of the target's variance each factor explains alone (one-way) and once the other is in the model (type II, main effects). */
  effects: { factor: string; alone: number; adjusted: number }[];
  /** Which answer changes when the confounding is accounted for. */
  changes: string;
  /** The few runs that would break the confounding: the emptiest cells against a balanced design. */
  suggestions: ConfoundingSuggestion[];
  text: string;
}

const LABEL: Record<string, string> = { baseModel: "base model", base_model: "base model", dataset: "dataset", method: "method" };
export const factorLabel = (name: string) => LABEL[name] ?? name;

function intercept(n: number) {
  return new Float64Array(n).fill(1);
}

function dummies(codes: Int32Array, levels: number): Float64Array[] {
  return Array.from({ length: levels - 1 }, (_, l) => Float64Array.from(codes, (c) => (c === l + 1 ? 1 : 0)));
}

/**
 * Pairs of factors that move together across the runs (an unbalanced ablation where the bigger
 * base models were mostly run on the bigger dataset): Cramér's V of their levels, how much of
 * the target each explains alone and once the other is accounted for, and the cells to run next.
 */
export function confounding(enc: EncodedRuns, options: { threshold?: number; maxLevels?: number } = {}): ConfoundingWarning[] {
  const threshold = options.threshold ?? 0.3;
  const coded = enc.factors.map((f, j) => (f.varies ? asLevels(enc, j, options.maxLevels ?? 6) : null));
  const out: ConfoundingWarning[] = [];
  for (let a = 0; a < coded.length; a++) {
    for (let b = a + 1; b < coded.length; b++) {
      const A = coded[a];
      const B = coded[b];
      if (!A || !B) continue;
      const w = pairWarning(enc, [a, b], [A, B], threshold);
      if (w) out.push(w);
    }
  }
  return out.sort((x, y) => y.cramersV - x.cramersV);
}

type Coded = { codes: Int32Array; labels: string[] };

function pairWarning(enc: EncodedRuns, [a, b]: [number, number], [A, B]: [Coded, Coded], threshold: number): ConfoundingWarning | null {
  const missA = A.labels.indexOf(MISSING_LEVEL);
  const missB = B.labels.indexOf(MISSING_LEVEL);
  const rows: number[] = [];
  for (let i = 0; i < enc.y.length; i++) if (A.codes[i] !== missA && B.codes[i] !== missB) rows.push(i);
  const la = A.labels.filter((_, k) => k !== missA);
  const lb = B.labels.filter((_, k) => k !== missB);
  // Level indices without the missing level (it sits last, so the others keep their codes).
  const counts = la.map(() => new Array<number>(lb.length).fill(0));
  for (const i of rows) counts[A.codes[i]][B.codes[i]]++;
  const rowTot = counts.map((r) => r.reduce((s, v) => s + v, 0));
  const colTot = lb.map((_, j) => counts.reduce((s, r) => s + r[j], 0));
  const usedR = rowTot.filter((v) => v > 0).length;
  const usedC = colTot.filter((v) => v > 0).length;
  const n = rows.length;
  if (n < 6 || usedR < 2 || usedC < 2) return null;
  let chi2 = 0;
  for (let i = 0; i < la.length; i++)
    for (let j = 0; j < lb.length; j++) {
      const e = (rowTot[i] * colTot[j]) / n;
      if (e > 0) chi2 += (counts[i][j] - e) ** 2 / e;
    }
  const V = Math.sqrt(chi2 / (n * (Math.min(usedR, usedC) - 1)));
  if (!(V >= threshold)) return null;
  const names: [string, string] = [enc.factors[a].name, enc.factors[b].name];
  const effects = variancePartition(enc, rows, A.codes, B.codes, la.length, lb.length).map((e, k) => ({ factor: names[k], ...e }));
  // The factor that rides on the other: the one that keeps the smallest part of its effect once adjusted.
  const kept = (e: { alone: number; adjusted: number }) => (e.alone > 0 ? e.adjusted / e.alone : 1);
  const moved = [...effects].sort((x, y) => kept(x) - kept(y))[0];
  const other = names.find((x) => x !== moved.factor)!;
  const changes = `${factorLabel(moved.factor)} explains ${pct(moved.alone, 2)} of the variance alone but ${pct(moved.adjusted, 2)} once ${factorLabel(other)} is accounted for`;
  // "run base model X on dataset Y": the dataset (if any) goes second.
  const order = enc.factors[a].family === "dataset" && enc.factors[b].family !== "dataset" ? [1, 0] : [0, 1];
  const cells: ConfoundingSuggestion[] = [];
  for (let i = 0; i < la.length; i++)
    for (let j = 0; j < lb.length; j++) {
      const expected = (rowTot[i] * colTot[j]) / n;
      if (counts[i][j] >= expected || rowTot[i] === 0 || colTot[j] === 0) continue;
      const lv = [la[i], lb[j]];
      const [f1, f2] = order.map((k) => names[k]);
      const [v1, v2] = order.map((k) => lv[k]);
      const joiner = enc.factors[order[1] === 0 ? a : b].family === "dataset" ? "on" : `with ${factorLabel(f2)}`;
      cells.push({
        levels: { [names[0]]: la[i], [names[1]]: lb[j] },
        runs: counts[i][j],
        expected,
        text: `run ${factorLabel(f1)} \`${v1}\` ${joiner} \`${v2}\` (${counts[i][j]} run${counts[i][j] === 1 ? "" : "s"} so far)`,
      });
    }
  cells.sort((x, y) => x.runs - y.runs || y.expected - y.runs - (x.expected - x.runs));
  return {
    factors: names,
    cramersV: V,
    levels: [la, lb],
    counts,
    effects,
    changes,
    suggestions: cells.slice(0, 3),
    text: `${factorLabel(names[0])} and ${factorLabel(names[1])} move together in these runs (Cramér's V ${V.toFixed(2)}): their effects cannot be told apart from each other.`,
  };
}

/** η² of each factor alone and adjusted for the other (type II SS of a main-effects model), on `rows`. */
function variancePartition(enc: EncodedRuns, rows: number[], ca: Int32Array, cb: Int32Array, la: number, lb: number) {
  const y = Float64Array.from(rows, (i) => enc.y[i]);
  const n = y.length;
  const A = dummies(Int32Array.from(rows, (i) => ca[i]), la);
  const B = dummies(Int32Array.from(rows, (i) => cb[i]), lb);
  const one = intercept(n);
  const rss0 = leastSquaresRss([one], y).rss;
  const rssA = leastSquaresRss([one, ...A], y).rss;
  const rssB = leastSquaresRss([one, ...B], y).rss;
  const rssAB = leastSquaresRss([one, ...A, ...B], y).rss;
  const share = (ss: number) => (rss0 > 0 ? Math.max(0, ss) / rss0 : 0);
  return [
    { alone: share(rss0 - rssA), adjusted: share(rssB - rssAB) },
    { alone: share(rss0 - rssB), adjusted: share(rssA - rssAB) },
  ];
}
