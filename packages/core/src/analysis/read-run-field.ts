import { AppError } from "../shared/app-error";
import type { RunRows, Scalar } from "./run-rows";

const COLUMNS = ["status", "name", "baseModel", "dataset", "method", "group", "parentRunId"] as const;

/**
 * One field of every run in a column-wise table: a run column (`baseModel`), a config or summary
 * path (`config.lora_rank`) or a metric statistic (`metrics.val/loss.min`).
 */
export function readRunField(rows: RunRows, field: string, at: string): Scalar[] {
  if ((COLUMNS as readonly string[]).includes(field)) return rows[field as (typeof COLUMNS)[number]];
  if (field === "durationSec") return rows.durationSec;
  for (const kind of ["config", "summary"] as const) {
    if (field.startsWith(`${kind}.`)) return own(rows[kind], field.slice(kind.length + 1)) ?? new Array(rows.count).fill(null);
  }
  const m = /^metrics\.(.+)\.(min|max|last)$/.exec(field);
  if (m) return own(rows.metrics, m[1])?.[m[2] as "min" | "max" | "last"] ?? new Array(rows.count).fill(null);
  throw new AppError(
    "BAD_REQUEST",
    `expected a run column (${COLUMNS.join(", ")}), 'config.<key>', 'summary.<key>' or 'metrics.<key>.<min|max|last>', got '${field}'`,
    { field: at },
  );
}

/** A record's own entry: `config.constructor` is a key, never Object.prototype's. */
function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** A numeric target per run (non-numbers become null, so analysis skips those runs). */
export function readTarget(rows: RunRows, field: string, at = "target"): (number | null)[] {
  return readRunField(rows, field, at).map((v) => (typeof v === "number" && Number.isFinite(v) ? v : null));
}
