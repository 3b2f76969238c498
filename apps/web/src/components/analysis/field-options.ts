import type { RunRows } from "@/trpc/types";

const LOSS = /loss|perplexity|error|\bmse\b|\bmae\b/i;
const EVAL = /^(val|valid|validation|eval|test)[/_.]/i;

/**
 * Numeric targets the data offers, sorted the way one looks for them: losses first (validation
 * before training) at their best statistic (min; max for scores), then other metrics at their
 * best, then summary values (losses first), then every remaining statistic.
 */
export function targetOptions(rows: RunRows | undefined): string[] {
  if (!rows) return [];
  const scored: [number, string][] = [];
  for (const key of Object.keys(rows.metrics)) {
    const loss = LOSS.test(key);
    const best = loss || guessDirection(key) === "minimize" ? "min" : "max";
    for (const stat of ["min", "max", "last"]) {
      const rank = stat !== best ? 5 : loss ? (EVAL.test(key) ? 0 : 1) : 2;
      scored.push([rank, `metrics.${key}.${stat}`]);
    }
  }
  for (const [key, values] of Object.entries(rows.summary)) if (values.some((v) => typeof v === "number")) scored.push([LOSS.test(key) ? 3 : 4, `summary.${key}`]);
  return scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1])).map(([, t]) => t);
}

/** A sensible default target: the validation loss minimum when there is one. */
export function defaultTarget(options: string[]): string {
  return options.find((o) => /^metrics\.(val|valid|validation|eval)[/_.]loss\.min$/i.test(o)) ?? options.find((o) => /loss\.min$/.test(o)) ?? options[0] ?? "";
}

/** Categorical factors for grids: run columns and config keys with a few distinct values. */
export function factorOptions(rows: RunRows | undefined): string[] {
  const out = ["baseModel", "method", "dataset", "group"];
  if (!rows) return out;
  for (const [key, values] of Object.entries(rows.config)) {
    const distinct = new Set(values.map((v) => String(v)));
    if (distinct.size > 1 && distinct.size <= 24) out.push(`config.${key}`);
  }
  return out;
}

/** Direction a target is usually optimized in, from its name. */
export function guessDirection(target: string): "minimize" | "maximize" {
  return /acc|f1|score|bleu|rouge|auc|precision|recall|reward/i.test(target) && !/loss|error|perplexity/i.test(target) ? "maximize" : "minimize";
}
