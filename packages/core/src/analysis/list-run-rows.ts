import type { Project } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { getProject } from "../project/get-project";
import { filterSql, SqlBuilder } from "../run/build-run-query";
import { asRecord, fromJsonNumber } from "../shared/json";
import { jsonCells } from "./json-cells";
import { listTableColumns } from "./list-table-columns";
import { MAX_TABLE_BYTES, MAX_TABLE_CELLS, MAX_TABLE_METRICS_PER_RUN, MAX_TABLE_ROWS, type RunRows, type RunRowsInput, type Scalar } from "./run-rows";

type Row = {
  id: string;
  name: string;
  status: string;
  baseModel: string | null;
  dataset: string | null;
  method: string | null;
  group: string | null;
  tags: string[];
  parentRunId: string | null;
  seed: number | null;
  createdMs: number;
  durationSec: number | null;
  config: unknown;
  summary: unknown;
  metricStats: unknown;
  /** Stored bytes of the JSON columns of this run and every one before it. */
  bytes: number;
};

/**
 * Sparse columns (one array per key, null where a run lacks the key) in a null-prototype record,
 * so a key named `constructor` is a column like any other. A new column is refused past the cell
 * budget (rows × columns), which bounds the answer whatever keys the runs carry.
 */
class Columns {
  readonly config: Record<string, Scalar[]> = Object.create(null);
  readonly summary: Record<string, Scalar[]> = Object.create(null);
  readonly metrics: Record<string, (number | null)[]> = Object.create(null);
  private cells = 0;
  truncated = false;
  constructor(private readonly n: number) {}
  set<T extends Scalar>(columns: Record<string, (T | null)[]>, key: string, i: number, value: T): void {
    let col = columns[key];
    if (!col) {
      if (this.cells + this.n > MAX_TABLE_CELLS) {
        this.truncated = true;
        return;
      }
      this.cells += this.n;
      col = columns[key] = new Array<T | null>(this.n).fill(null);
    }
    col[i] = value;
  }
}

/**
 * Every run of a project matching a filter, column-wise: every column for the analysis views; with
 * `columns` or `defaults` (the runs table), only those columns and the catalog of all.
 */
export async function listRunRows(db: Db, input: RunRowsInput, known?: Project): Promise<RunRows> {
  // The project as the request already resolved it (authorization), else looked up.
  const project = known?.slug === input.project ? known : await getProject(db, input.project);
  const limit = Math.min(input.limit ?? MAX_TABLE_ROWS, MAX_TABLE_ROWS);
  // The runs table asks for its columns only; the analysis views read every column.
  if (input.columns || input.defaults) return listTableColumns(db, project.id, input, limit);
  const sql = new SqlBuilder();
  const where = filterSql(sql, project.id, input.filter);
  if (input.ids) where.push(`r."id" = ANY(${sql.param(input.ids, "text[]")})`);
  // The cumulative stored size of the JSON columns bounds the answer's memory (rows past it are
  // left out, as past the row limit); the metric statistics are capped per run.
  const text = `SELECT x."id", x."name", x."status", x."baseModel", x."dataset", x."method", x."group", x."tags", x."parentRunId", x."seed",
      x."createdMs", x."durationSec", x."config", x."summary", x."bytes"::float8 AS "bytes",
      -- Only the statistics the table shows: a third of the JSON to send and parse.
      (SELECT jsonb_object_agg(e.k, jsonb_build_array(e.v -> 'min', e.v -> 'max', e.v -> 'last'))
         FROM (SELECT * FROM jsonb_each(x."stats") LIMIT ${MAX_TABLE_METRICS_PER_RUN}) AS e(k, v)) AS "metricStats"
    FROM (
      SELECT r."id", r."name", r."status"::text AS "status", r."baseModel",
        CASE WHEN d."id" IS NULL THEN NULL ELSE d."name" || '@' || d."version" END AS "dataset",
        r."method", r."group", r."tags", r."parentRunId", r."seed",
        -- Numbers, not timestamps: parsing 30,000 dates in Node costs more than the query.
        (extract(epoch FROM r."createdAt") * 1000)::float8 AS "createdMs",
        -- GREATEST skips NULLs, so a run never started would read 0 s without the CASE.
        CASE WHEN COALESCE(r."finishedAt", r."heartbeatAt") - r."startedAt" IS NULL THEN NULL
             ELSE GREATEST(0, extract(epoch FROM COALESCE(r."finishedAt", r."heartbeatAt") - r."startedAt"))::float8 END AS "durationSec",
        r."config", r."summary", r."metricStats" AS "stats", r."createdAt" AS "createdAtTs",
        pg_column_size(r."config") + pg_column_size(r."summary") + pg_column_size(r."metricStats") AS "ownBytes",
        sum(pg_column_size(r."config") + pg_column_size(r."summary") + pg_column_size(r."metricStats"))
          OVER (ORDER BY r."createdAt" DESC, r."id" DESC ROWS UNBOUNDED PRECEDING) AS "bytes"
      FROM "Run" r LEFT JOIN "Dataset" d ON d."id" = r."datasetId"
      WHERE ${where.join(" AND ")}
      ORDER BY r."createdAt" DESC, r."id" DESC
      LIMIT ${sql.param(limit + 1)}
    ) x
    -- Up to the first row past the budget, so the caller knows rows were left out.
    WHERE x."bytes" - x."ownBytes" <= ${MAX_TABLE_BYTES}
    ORDER BY x."createdAtTs" DESC, x."id" DESC`;
  const { rows: all } = await db.pool.query<Row>(text, sql.params);
  let rows = all.slice(0, limit);
  // The first run is kept whatever its size; past it the byte budget applies.
  const withinBytes = rows.findIndex((r, i) => i > 0 && r.bytes > MAX_TABLE_BYTES);
  if (withinBytes > 0) rows = rows.slice(0, withinBytes);
  const n = rows.length;
  const columns = new Columns(n);
  const out: RunRows = {
    count: n,
    truncated: rows.length < all.length,
    columnsTruncated: false,
    id: [], name: [], status: [], baseModel: [], dataset: [], method: [], group: [], tags: [],
    parentRunId: [], seed: [], createdAt: [], durationSec: [], config: columns.config, summary: columns.summary, metrics: Object.create(null),
  };
  const metricCols = columns.metrics;
  rows.forEach((r, i) => {
    out.id.push(r.id);
    out.name.push(r.name);
    out.status.push(r.status);
    out.baseModel.push(r.baseModel);
    out.dataset.push(r.dataset);
    out.method.push(r.method);
    out.group.push(r.group);
    out.tags.push(r.tags);
    out.parentRunId.push(r.parentRunId);
    out.seed.push(r.seed);
    out.createdAt.push(r.createdMs);
    out.durationSec.push(r.durationSec);
    for (const [k, v] of Object.entries(jsonCells(r.config))) columns.set(out.config, k, i, v);
    for (const [k, v] of Object.entries(jsonCells(r.summary))) columns.set(out.summary, k, i, v);
    for (const [key, raw] of Object.entries(asRecord(r.metricStats))) {
      const [min, max, last] = raw as unknown[];
      columns.set(metricCols, `${key}\u0000min`, i, fromJsonNumber(min));
      columns.set(metricCols, `${key}\u0000max`, i, fromJsonNumber(max));
      columns.set(metricCols, `${key}\u0000last`, i, fromJsonNumber(last));
    }
  });
  out.columnsTruncated = columns.truncated;
  for (const [k, col] of Object.entries(metricCols)) {
    const [key, stat] = k.split("\u0000") as [string, "min" | "max" | "last"];
    out.metrics[key] ??= { min: [], max: [], last: [] };
    out.metrics[key][stat] = col;
  }
  return out;
}
