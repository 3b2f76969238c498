import type { RunRows } from "@/trpc/types";
import type { ColumnSpec } from "./run-columns";

/** Up to 200 distinct values of a column, sorted, as suggestions for a filter's value box. */
export function filterSuggestions(rows: RunRows | undefined, columns: ColumnSpec[], field: string): string[] {
  const col = columns.find((c) => c.id === field);
  if (!rows || !col) return [];
  const set = new Set<string>();
  for (let i = 0; i < rows.count && set.size < 200; i++) {
    const v = col.get(i);
    if (Array.isArray(v)) v.forEach((t) => set.add(t));
    else if (v !== null && v !== undefined) set.add(String(v));
  }
  return [...set].sort();
}
