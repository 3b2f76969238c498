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

/** Every column the data offers: run fields, then config keys, summary keys and metric statistics. */
export function buildColumns(rows: RunRows): ColumnSpec[] {
  const cols: ColumnSpec[] = [
    { id: "status", label: "Status", kind: "status", get: (i) => rows.status[i], width: 96, groupable: true },
    { id: "name", label: "Name", kind: "name", get: (i) => rows.name[i], width: 220, groupable: false },
    { id: "baseModel", label: "Base model", kind: "text", get: (i) => rows.baseModel[i], width: 150, groupable: true },
    { id: "dataset", label: "Dataset", kind: "text", get: (i) => rows.dataset[i], width: 150, groupable: true },
    { id: "method", label: "Method", kind: "text", get: (i) => rows.method[i], width: 90, groupable: true },
    { id: "group", label: "Group", kind: "text", get: (i) => rows.group[i], width: 120, groupable: true },
    { id: "tags", label: "Tags", kind: "tags", get: (i) => rows.tags[i], width: 140, groupable: false },
    { id: "duration", label: "Duration", kind: "duration", get: (i) => rows.durationSec[i], width: 90, groupable: false },
    { id: "createdAt", label: "Created", kind: "date", get: (i) => rows.createdAt[i], width: 150, groupable: false },
  ];
  for (const key of Object.keys(rows.config).sort()) {
    const values = rows.config[key];
    const numeric = isNumericColumn(values);
    cols.push({ id: `config.${key}`, label: key, kind: numeric ? "number" : "text", get: (i) => values[i], width: 110, groupable: true });
  }
  for (const key of Object.keys(rows.summary).sort()) {
    const values = rows.summary[key];
    const numeric = isNumericColumn(values);
    cols.push({ id: `summary.${key}`, label: `summary ${key}`, kind: numeric ? "number" : "text", get: (i) => values[i], width: 120, groupable: !numeric });
  }
  for (const key of Object.keys(rows.metrics).sort()) {
    for (const stat of STATS) {
      const values = rows.metrics[key][stat];
      cols.push({ id: `metrics.${key}.${stat}`, label: `${key} (${stat})`, kind: "number", get: (i) => values[i], width: 130, groupable: false });
    }
  }
  return cols;
}

/** Default visible columns: run fields, varying config keys (up to 6), min of loss-like metrics. */
export function defaultColumnIds(rows: RunRows, cols: ColumnSpec[]): string[] {
  const ids = ["status", "name", "baseModel", "dataset", "method", "group", "tags", "duration", "createdAt"];
  const varying = Object.keys(rows.config)
    .filter((k) => new Set(rows.config[k].map((v) => String(v))).size > 1)
    .slice(0, 6);
  ids.push(...varying.map((k) => `config.${k}`));
  const metricKeys = Object.keys(rows.metrics);
  const lossy = metricKeys.filter((k) => /loss/i.test(k));
  for (const k of (lossy.length ? lossy : metricKeys).slice(0, 4)) ids.push(`metrics.${k}.${/acc|f1|score|bleu|rouge/i.test(k) ? "max" : "min"}`);
  const known = new Set(cols.map((c) => c.id));
  return ids.filter((id) => known.has(id));
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
