import { mean, sampleVariance } from "@finetrack/analysis";
import type { Scalar } from "@/trpc/types";
import type { ColumnSpec } from "./run-columns";

export interface GroupStat {
  n: number;
  mean: number;
  std: number;
}

export interface RunGroup {
  key: string;
  indices: number[];
  /** Per numeric column id: mean ± sample std over the group's runs that have a finite value. */
  stats: Record<string, GroupStat>;
}

function statOf(values: number[]): GroupStat {
  const n = values.length;
  return { n, mean: mean(values), std: n > 1 ? Math.sqrt(sampleVariance(values)) : 0 };
}

/** Groups row indices (kept in their sorted order) by a column's value, with stats of numeric columns. */
export function groupRows(order: number[], by: ColumnSpec, numeric: ColumnSpec[]): RunGroup[] {
  const groups = new Map<string, number[]>();
  for (const i of order) {
    const v = by.get(i) as Scalar;
    const key = v === null || v === undefined ? "(none)" : String(v);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(i);
  }
  return [...groups.entries()].map(([key, indices]) => {
    const stats: Record<string, GroupStat> = {};
    for (const col of numeric) {
      const values: number[] = [];
      for (const i of indices) {
        const v = col.get(i);
        if (typeof v === "number" && Number.isFinite(v)) values.push(v);
      }
      if (values.length) stats[col.id] = statOf(values);
    }
    return { key, indices, stats };
  });
}
