import { canonicalKey, FIRST_CLASS_FIELDS } from "@finetrack/contracts";
import { selectFactors } from "@finetrack/analysis";
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

/** Every column the data offers: run fields, then config keys, summary keys and metric statistics. */
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
      const best = stat === bestStatOf(key);
      cols.push({ id: `metrics.${key}.${stat}`, label: best ? `best ${key}` : `${key} (${stat})`, kind: "number", get: (i) => values[i], width: 130, groupable: false });
    }
  }
  return cols;
}

/** The statistic that is a metric's best: max for accuracy-like metrics, min otherwise. */
export function bestStatOf(key: string): "min" | "max" {
  return /acc|f1|score|bleu|rouge|auc|precision|recall|exact_match|map$/i.test(key) ? "max" : "min";
}

const VAL_LOSS = /^(val|valid|validation|eval)[/_.]loss$/i;

/** The main target of a project's runs: validation loss, else another loss, else the first metric. */
export function mainTarget(metricKeys: string[]): string | null {
  return metricKeys.find((k) => VAL_LOSS.test(k)) ?? metricKeys.find((k) => /val.*loss|loss.*val/i.test(k)) ?? metricKeys.find((k) => /loss/i.test(k)) ?? metricKeys[0] ?? null;
}

const MAX_DEFAULT_CONFIG = 6;

/**
 * Config keys that are factors of the shown runs (they vary, and are no seed, no bookkeeping key, no
 * spelling of a run field shown already, no function of another one), as the factor analysis
 * judges them, at most six.
 */
export function varyingConfigKeys(rows: RunRows): string[] {
  const keys = Object.keys(rows.config);
  const preferred = [...FIRST_CLASS_FIELDS, "group", "tags"];
  const columns = [
    ...FIRST_CLASS_FIELDS.map((f) => ({ key: f, values: rows[f] })),
    { key: "group", values: rows.group },
    ...keys.map((k) => ({ key: k, values: rows.config[k] })),
  ];
  const canonical = (k: string) => (k === "tags" || k === "group" ? k : canonicalKey(k));
  const selection = selectFactors(columns, { canonical, preferred });
  const out: string[] = [];
  for (const factor of selection.factors) {
    if (preferred.includes(factor)) continue;
    // A factor is named by its canonical spelling: show the config key that spells it.
    const key = keys.find((k) => k === factor) ?? keys.find((k) => canonical(k) === factor);
    if (key && !preferred.includes(canonical(key))) out.push(key);
    if (out.length === MAX_DEFAULT_CONFIG) break;
  }
  return out;
}

/**
 * Default visible columns: the name (pinned), the best value of the main target, run fields, then
 * the config keys that vary across these runs.
 */
export function defaultColumnIds(rows: RunRows, cols: ColumnSpec[]): string[] {
  const target = mainTarget(Object.keys(rows.metrics));
  const ids = ["name"];
  if (target) ids.push(`metrics.${target}.${bestStatOf(target)}`);
  ids.push("status", "baseModel", "dataset", "method", "group", "tags", "duration", "createdAt");
  ids.push(...varyingConfigKeys(rows).map((k) => `config.${k}`));
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
