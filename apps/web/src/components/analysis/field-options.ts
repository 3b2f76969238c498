import type { RunRows } from "@/trpc/types";

/** Numeric targets the data offers: metric statistics and numeric summary values. */
export function targetOptions(rows: RunRows | undefined): string[] {
  if (!rows) return [];
  const out: string[] = [];
  for (const key of Object.keys(rows.metrics).sort()) for (const stat of ["min", "max", "last"]) out.push(`metrics.${key}.${stat}`);
  for (const [key, values] of Object.entries(rows.summary)) if (values.some((v) => typeof v === "number")) out.push(`summary.${key}`);
  return out;
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
