import { compareSeeds, groupStats, selectFactors, type FactorRun, type SeedComparison, type Stats } from "@finetrack/analysis";
import { canonicalKey, FIRST_CLASS_FIELDS } from "@finetrack/contracts";
import type { RunFilter } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import type { RunRows } from "./run-rows";
import { listRunRows } from "./list-run-rows";
import { readRunField } from "./read-run-field";
import { analysedRows, factorCandidates, readAnalysisTarget, type RunScope } from "./select-run-factors";

export type AblationInput = {
  project: string;
  filter?: RunFilter;
  /** Numeric run field, e.g. `metrics.val/loss.min`. */
  target: string;
  direction: "minimize" | "maximize";
  rows: string;
  columns: string;
  /** Optional third factor: one grid per level (e.g. dataset). */
  split?: string;
  /** Every cell is tested against this one (of the same split) for a difference beyond seed noise. */
  baseline?: { row: string; column: string };
  /** Derived runs (a parent run set, e.g. compression children) are left out unless true. */
  includeDerived?: boolean;
};

export type AblationCell = {
  row: string;
  column: string;
  split: string | null;
  /** Mean ± std of the cell's runs: over seeds when nothing else varies inside the cell (see `mixes`). */
  stats: Stats;
  runIds: string[];
  /** Distinct seeds among the cell's runs. */
  seeds: number;
  /** Other factors that vary inside the cell (then its ± is not seed noise alone). */
  mixes: string[];
  /** Welch's t and a bootstrap interval of this cell against the baseline cell; null for the baseline itself or without one. */
  versusBaseline: SeedComparison | null;
};

export type AblationMatrix = {
  target: string;
  direction: "minimize" | "maximize";
  rows: { factor: string; levels: string[] };
  columns: { factor: string; levels: string[] };
  split: { factor: string; levels: string[] } | null;
  cells: AblationCell[];
  /** Runs with no finite target (e.g. still running without the metric). */
  skipped: number;
  baseline: { row: string; column: string } | null;
  scope: RunScope;
};

/** base model × method (× dataset) grid of a target: mean ± std over seeds, N and the runs of every cell. */
export async function buildAblationMatrix(db: Db, input: AblationInput): Promise<AblationMatrix> {
  const { rows: data, scope } = analysedRows(await listRunRows(db, { project: input.project, filter: input.filter }), input.includeDerived ?? false);
  const target = readAnalysisTarget(data, input.target);
  const by = [input.rows, input.columns, ...(input.split ? [input.split] : [])];
  const fields = by.map((f, k) => readRunField(data, f, ["rows", "columns", "split"][k]));
  const runs: FactorRun[] = data.id.map((id, i) => ({
    id,
    target: target[i],
    factors: Object.fromEntries(by.map((f, k) => [f, fields[k][i] === null ? null : String(fields[k][i])])),
  }));
  const usable = runs.filter((r) => r.target !== null);
  const empty = { factor: "", levels: [] as string[] };
  if (!usable.length) {
    return {
      target: input.target, direction: input.direction, cells: [], skipped: runs.length, baseline: input.baseline ?? null, scope,
      rows: { ...empty, factor: input.rows }, columns: { ...empty, factor: input.columns },
      split: input.split ? { ...empty, factor: input.split } : null,
    };
  }
  const result = groupStats(usable, by);
  const levels = (name: string) => result.perLevel.find((p) => p.factor === name)?.groups.map((g) => g.key[name]) ?? [];
  const row = new Map(data.id.map((id, i) => [id, i]));
  const others = otherFactors(data, by);
  const valuesOf = (ids: string[]) => ids.map((id) => target[row.get(id)!] as number);
  const cells = result.perCombination.map((g) => ({
    row: g.key[input.rows],
    column: g.key[input.columns],
    split: input.split ? g.key[input.split] : null,
    stats: g.stats,
    runIds: g.runIds,
    seeds: new Set(g.runIds.map((id) => data.seed[row.get(id)!]).filter((s) => s !== null)).size,
    mixes: others.filter((o) => new Set(g.runIds.map((id) => String(o.values[row.get(id)!]))).size > 1).map((o) => o.name),
  }));
  const label = (c: { row: string; column: string }) => `${c.row} × ${c.column}`;
  return {
    target: input.target,
    direction: input.direction,
    rows: { factor: input.rows, levels: levels(input.rows) },
    columns: { factor: input.columns, levels: levels(input.columns) },
    split: input.split ? { factor: input.split, levels: levels(input.split) } : null,
    cells: cells.map((c) => {
      const base = input.baseline && cells.find((b) => b.row === input.baseline!.row && b.column === input.baseline!.column && b.split === c.split);
      const versusBaseline = base && base !== c ? compareSeeds({ label: label(c), values: valuesOf(c.runIds) }, { label: label(base), values: valuesOf(base.runIds) }, { direction: input.direction }) : null;
      return { ...c, versusBaseline };
    }),
    skipped: runs.length - usable.length,
    baseline: input.baseline ?? null,
    scope,
  };
}

/** The factors of these runs other than the grid's own axes (so a cell can say what else varies in it). */
function otherFactors(rows: RunRows, axes: string[]): { name: string; values: unknown[] }[] {
  const sel = selectFactors(factorCandidates(rows), { canonical: (k) => canonicalKey(k), preferred: [...FIRST_CLASS_FIELDS] });
  const axisNames = new Set(axes.map((a) => canonicalKey(a.replace(/^config\./, ""))));
  return sel.factors.filter((f) => !axisNames.has(f)).map((name) => ({ name, values: sel.values[name] }));
}
