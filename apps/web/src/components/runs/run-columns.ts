import { bestStatOf } from "@finetrack/analysis";
import type { RunRows, Scalar } from "@/trpc/types";

export type ColumnKind = "text" | "number" | "date" | "duration" | "tags" | "status" | "name";

/** A runs-table column; its id is the RunField text the API filters and sorts on. */
export interface ColumnSpec {
  id: string;
  label: string;
  kind: ColumnKind;
  /** Cell value of row i. */
  get: (i: number) => Scalar | string[];
  width: number;
  /** Columns a user may group by (categorical). */
  groupable: boolean;
}

const STATS = ["min", "max", "last"] as const;

function isNumericColumn(values: Scalar[]): boolean {
  let seen = false;
  for (const v of values) {
    if (v === null) continue;
    if (typeof v !== "number") return false;
    seen = true;
  }
  return seen;
}

/**
 * A run's duration: start to finish, or the wall time its summary reports when longer (a derived
 * run is created only once its work is done, so its own start and finish are a moment apart).
 */
function durationOf(rows: RunRows, i: number): number | null {
  const logged = rows.durationSec[i];
  const reported = Object.hasOwn(rows.summary, "wall_time_ms") ? rows.summary.wall_time_ms[i] : null;
  if (typeof reported !== "number" || !Number.isFinite(reported)) return logged;
  return Math.max(logged ?? 0, reported / 1000);
}

/**
 * Every column the runs offer: run fields, then config keys, summary keys and metric statistics.
 * A table answer lists them in its catalog and holds only the asked-for ones (a cell of a column
 * still on its way is empty); a whole answer (the analysis views) holds all.
 */
export function buildColumns(rows: RunRows): ColumnSpec[] {
  const cols: ColumnSpec[] = [
    { id: "name", label: "Name", kind: "name", get: (i) => rows.name[i], width: 240, groupable: false },
    { id: "status", label: "Status", kind: "status", get: (i) => rows.status[i], width: 96, groupable: true },
    { id: "baseModel", label: "Base model", kind: "text", get: (i) => rows.baseModel[i], width: 150, groupable: true },
    { id: "dataset", label: "Dataset", kind: "text", get: (i) => rows.dataset[i], width: 150, groupable: true },
    { id: "method", label: "Method", kind: "text", get: (i) => rows.method[i], width: 90, groupable: true },
    { id: "group", label: "Group", kind: "text", get: (i) => rows.group[i], width: 120, groupable: true },
    { id: "tags", label: "Tags", kind: "tags", get: (i) => rows.tags[i], width: 140, groupable: false },
    { id: "duration", label: "Duration", kind: "duration", get: (i) => durationOf(rows, i), width: 90, groupable: false },
    { id: "createdAt", label: "Created", kind: "date", get: (i) => rows.createdAt[i], width: 150, groupable: false },
  ];
  const keyed = (record: Record<string, Scalar[]>, catalog: { key: string; numeric: boolean }[] | undefined) =>
    (catalog ?? Object.keys(record).map((key) => ({ key, numeric: isNumericColumn(record[key]) }))).slice().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const cell = (values: Scalar[] | undefined, i: number): Scalar => values?.[i] ?? null;
  for (const { key, numeric } of keyed(rows.config, rows.catalog?.config)) {
    cols.push({ id: `config.${key}`, label: key, kind: numeric ? "number" : "text", get: (i) => cell(rows.config[key], i), width: 110, groupable: true });
  }
  for (const { key, numeric } of keyed(rows.summary, rows.catalog?.summary)) {
    cols.push({ id: `summary.${key}`, label: `summary ${key}`, kind: numeric ? "number" : "text", get: (i) => cell(rows.summary[key], i), width: 120, groupable: !numeric });
  }
  for (const key of [...(rows.catalog?.metrics ?? Object.keys(rows.metrics))].sort()) {
    for (const stat of STATS) {
      const best = stat === bestStatOf(key);
      cols.push({ id: `metrics.${key}.${stat}`, label: best ? `best ${key}` : `${key} (${stat})`, kind: "number", get: (i) => cell(rows.metrics[key]?.[stat], i), width: 130, groupable: false });
    }
  }
  return cols;
}

/** Comparable key: numbers as numbers, everything else as lower-case text; missing sorts last. */
export function compareCells(a: Scalar | string[], b: Scalar | string[]): number {
  const am = a === null || a === undefined || (typeof a === "number" && Number.isNaN(a));
  const bm = b === null || b === undefined || (typeof b === "number" && Number.isNaN(b));
  if (am || bm) return am === bm ? 0 : am ? 1 : -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const as = Array.isArray(a) ? a.join(",") : String(a);
  const bs = Array.isArray(b) ? b.join(",") : String(b);
  return as < bs ? -1 : as > bs ? 1 : 0;
}
