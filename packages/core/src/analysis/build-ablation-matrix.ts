import { groupStats, type FactorRun, type Stats } from "@finetrack/analysis";
import type { RunFilter } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { listRunRows } from "./list-run-rows";
import { readRunField, readTarget } from "./read-run-field";

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
};

export type AblationCell = { row: string; column: string; split: string | null; stats: Stats; runIds: string[] };

export type AblationMatrix = {
  target: string;
  direction: "minimize" | "maximize";
  rows: { factor: string; levels: string[] };
  columns: { factor: string; levels: string[] };
  split: { factor: string; levels: string[] } | null;
  cells: AblationCell[];
  /** Runs with no finite target (e.g. still running without the metric). */
  skipped: number;
};

/** base model × method (× dataset) grid of a target: mean ± std over seeds, N and the runs of every cell. */
export async function buildAblationMatrix(db: Db, input: AblationInput): Promise<AblationMatrix> {
  const data = await listRunRows(db, { project: input.project, filter: input.filter });
  const target = readTarget(data, input.target);
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
      target: input.target, direction: input.direction, cells: [], skipped: runs.length,
      rows: { ...empty, factor: input.rows }, columns: { ...empty, factor: input.columns },
      split: input.split ? { ...empty, factor: input.split } : null,
    };
  }
  const result = groupStats(usable, by);
  const levels = (name: string) => result.perLevel.find((p) => p.factor === name)?.groups.map((g) => g.key[name]) ?? [];
  return {
    target: input.target,
    direction: input.direction,
    rows: { factor: input.rows, levels: levels(input.rows) },
    columns: { factor: input.columns, levels: levels(input.columns) },
    split: input.split ? { factor: input.split, levels: levels(input.split) } : null,
    cells: result.perCombination.map((g) => ({
      row: g.key[input.rows],
      column: g.key[input.columns],
      split: input.split ? g.key[input.split] : null,
      stats: g.stats,
      runIds: g.runIds,
    })),
    skipped: runs.length - usable.length,
  };
}
