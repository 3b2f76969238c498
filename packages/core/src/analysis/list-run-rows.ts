import type { Db } from "@finetrack/db";
import { getProject } from "../project/get-project";
import { filterSql, SqlBuilder } from "../run/build-run-query";
import { asRecord, fromJsonNumber } from "../shared/json";
import { flattenJson } from "./flatten-json";
import { MAX_TABLE_ROWS, type RunRows, type RunRowsInput, type Scalar } from "./run-rows";

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
};

/** Fills a sparse column: one array per key, null where a run lacks the key. */
function setCell<T>(columns: Record<string, (T | null)[]>, key: string, i: number, n: number, value: T) {
  let col = columns[key];
  if (!col) col = columns[key] = new Array<T | null>(n).fill(null);
  col[i] = value;
}

/** Every run of a project matching a filter, column-wise, for the dashboard's runs table. */
export async function listRunRows(db: Db, input: RunRowsInput): Promise<RunRows> {
  const project = await getProject(db, input.project);
  const limit = Math.min(input.limit ?? MAX_TABLE_ROWS, MAX_TABLE_ROWS);
  const sql = new SqlBuilder();
  const where = filterSql(sql, project.id, input.filter);
  if (input.ids) where.push(`r."id" = ANY(${sql.param(input.ids, "text[]")})`);
  const text = `SELECT r."id", r."name", r."status"::text AS "status", r."baseModel",
      CASE WHEN d."id" IS NULL THEN NULL ELSE d."name" || '@' || d."version" END AS "dataset",
      r."method", r."group", r."tags", r."parentRunId", r."seed",
      -- Numbers, not timestamps: parsing 30,000 dates in Node costs more than the query.
      (extract(epoch FROM r."createdAt") * 1000)::float8 AS "createdMs",
      -- GREATEST skips NULLs, so a run never started would read 0 s without the CASE.
      CASE WHEN COALESCE(r."finishedAt", r."heartbeatAt") - r."startedAt" IS NULL THEN NULL
           ELSE GREATEST(0, extract(epoch FROM COALESCE(r."finishedAt", r."heartbeatAt") - r."startedAt"))::float8 END AS "durationSec",
      r."config", r."summary",
      -- Only the statistics the table shows: a third of the JSON to send and parse.
      (SELECT jsonb_object_agg(e.k, jsonb_build_array(e.v -> 'min', e.v -> 'max', e.v -> 'last'))
         FROM jsonb_each(r."metricStats") AS e(k, v)) AS "metricStats"
    FROM "Run" r LEFT JOIN "Dataset" d ON d."id" = r."datasetId"
    WHERE ${where.join(" AND ")}
    ORDER BY r."createdAt" DESC, r."id" DESC
    LIMIT ${sql.param(limit + 1)}`;
  const { rows: all } = await db.pool.query<Row>(text, sql.params);
  const rows = all.slice(0, limit);
  const n = rows.length;
  const out: RunRows = {
    count: n,
    truncated: all.length > limit,
    id: [], name: [], status: [], baseModel: [], dataset: [], method: [], group: [], tags: [],
    parentRunId: [], seed: [], createdAt: [], durationSec: [], config: {}, summary: {}, metrics: {},
  };
  const metricCols: Record<string, (number | null)[]> = {};
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
    for (const [k, v] of Object.entries(flattenJson(r.config))) setCell<Scalar>(out.config, k, i, n, v);
    for (const [k, v] of Object.entries(flattenJson(r.summary))) setCell<Scalar>(out.summary, k, i, n, v);
    for (const [key, raw] of Object.entries(asRecord(r.metricStats))) {
      const [min, max, last] = raw as unknown[];
      setCell(metricCols, `${key}\u0000min`, i, n, fromJsonNumber(min));
      setCell(metricCols, `${key}\u0000max`, i, n, fromJsonNumber(max));
      setCell(metricCols, `${key}\u0000last`, i, n, fromJsonNumber(last));
    }
  });
  for (const [k, col] of Object.entries(metricCols)) {
    const [key, stat] = k.split("\u0000") as [string, "min" | "max" | "last"];
    out.metrics[key] ??= { min: [], max: [], last: [] };
    out.metrics[key][stat] = col;
  }
  return out;
}
