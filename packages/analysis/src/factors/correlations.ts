import { pearson, spearman, type Correlation } from "../math/correlation";
import { encodeFactors, MISSING_NUMERIC } from "./encode-factors";
import type { FactorAnalysisOptions, FactorInfo, FactorRun } from "./types";

export interface FactorCorrelation {
  factor: string;
  /** Categorical: the level whose 0/1 indicator is correlated; numeric: null ("(missing)" for the missing indicator). */
  level: string | null;
  kind: FactorInfo["kind"];
  pearson: Correlation;
  spearman: Correlation;
}

export interface CorrelationsResult {
  correlations: FactorCorrelation[];
  info: FactorInfo[];
  skipped: { id: string; reason: string }[];
}

/**
 * Pearson and Spearman correlation of each factor with the target, as W&B's parameter panel:
 * numeric factors over the runs where they are present (log10 values for log factors; Spearman
 * is unaffected), categorical factors per level as 0/1 indicators. A numeric factor that is
 * missing in some runs also gets a "(missing)" indicator row. Sorted by |Spearman| descending.
 */
export function correlations(runs: FactorRun[], options: FactorAnalysisOptions = {}): CorrelationsResult {
  const enc = encodeFactors(runs, options);
  const out: FactorCorrelation[] = [];
  enc.factors.forEach((f, j) => {
    if (!f.varies) return;
    const col = enc.columns[j];
    if (f.kind === "categorical") {
      f.levels!.forEach((level, l) => {
        const ind = Float64Array.from(col, (v) => (v === l ? 1 : 0));
        out.push({ factor: f.name, level, kind: f.kind, pearson: pearson(ind, enc.y), spearman: spearman(ind, enc.y) });
      });
      return;
    }
    const rows: number[] = [];
    for (let i = 0; i < col.length; i++) if (col[i] !== MISSING_NUMERIC) rows.push(i);
    const x = Float64Array.from(rows, (i) => enc.raw[j][i]);
    const y = Float64Array.from(rows, (i) => enc.y[i]);
    out.push({ factor: f.name, level: null, kind: f.kind, pearson: pearson(x, y), spearman: spearman(x, y) });
    if (f.missing > 0) {
      const ind = Float64Array.from(col, (v) => (v === MISSING_NUMERIC ? 1 : 0));
      out.push({ factor: f.name, level: "(missing)", kind: f.kind, pearson: pearson(ind, enc.y), spearman: spearman(ind, enc.y) });
    }
  });
  const key = (c: FactorCorrelation) => (Number.isNaN(c.spearman.r) ? -1 : Math.abs(c.spearman.r));
  out.sort((a, b) => key(b) - key(a));
  return { correlations: out, info: enc.factors, skipped: enc.skipped };
}
