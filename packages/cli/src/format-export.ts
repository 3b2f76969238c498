import { csvCell, flattenJson, type Run, type Series } from "@finetrack/contracts";

export type ExportedRun = Run & { metrics: Record<string, Pick<Series, "step" | "value" | "epoch" | "time">> };

/** JSON has no NaN or Infinity: they travel as the strings "NaN", "Infinity", "-Infinity". */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : typeof v === "bigint" ? Number(v) : v), 2);
}

export { csvCell };

export function csvRow(cells: unknown[]): string {
  return `${cells.map(csvCell).join(",")}\n`;
}

export const METRIC_CSV_HEADER = ["run_id", "run_name", "key", "step", "epoch", "value", "time"];

/** One row per point, long format (what pandas and spreadsheets pivot easily). */
export function metricRows(run: ExportedRun): string {
  let out = "";
  for (const [key, series] of Object.entries(run.metrics)) {
    for (let i = 0; i < series.step.length; i++) {
      out += csvRow([run.id, run.name, key, series.step[i], series.epoch[i], series.value[i], new Date(series.time[i]).toISOString()]);
    }
  }
  return out;
}

const RUN_COLUMNS = ["id", "name", "status", "group", "baseModel", "baseModelParams", "method", "dataset", "tags", "seed", "parentRunId", "createdAt", "startedAt", "finishedAt", "error"] as const;

function runColumns(run: Run): Record<string, unknown> {
  return {
    id: run.id,
    name: run.name,
    status: run.status,
    group: run.group,
    baseModel: run.baseModel,
    baseModelParams: run.baseModelParams,
    method: run.method,
    dataset: run.dataset ? `${run.dataset.name}@${run.dataset.version}` : null,
    tags: run.tags.join(";"),
    seed: run.seed,
    parentRunId: run.parentRunId,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    error: run.error,
  };
}

/** One row per run: the columns, then config.*, summary.* and metrics.<key>.<stat> (union over runs). */
export function runsCsv(runs: Run[]): string {
  // Spread defines properties, so every key name (`__proto__` included) is kept as data.
  const rows = runs.map((run) => ({
    ...runColumns(run),
    ...flattenJson({ config: run.config, summary: run.summary, metrics: run.metricStats }),
  }));
  const extra = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) if (!(RUN_COLUMNS as readonly string[]).includes(key)) extra.add(key);
  const header = [...RUN_COLUMNS, ...[...extra].sort()];
  return csvRow(header) + rows.map((row) => csvRow(header.map((h) => (Object.prototype.hasOwnProperty.call(row, h) ? (row as Record<string, unknown>)[h] : undefined)))).join("");
}
