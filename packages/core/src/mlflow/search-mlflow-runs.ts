import type { Db } from "@finetrack/db";
import { fieldSql, SqlBuilder } from "../run/build-run-query";
import { AppError } from "../shared/app-error";
import { listMlflowRunsBySeq } from "./list-mlflow-runs";
import { MLFLOW_LIMITS, NOTE_TAG, PARENT_RUN_TAG, RUN_NAME_TAG, USER_TAG } from "./mlflow-types";
import { parseMlflowFilter, parseMlflowOrderBy, type MlflowEntity } from "./parse-mlflow-filter";
import type { MlflowRun } from "./to-mlflow-run";

export type MlflowViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";
const ms = (expr: string) => `(extract(epoch from ${expr}) * 1000)`;

/** The SQL of an MLflow identifier over `Run r` (and its dataset `d`): text, or a number. */
function identifierSql(sql: SqlBuilder, entity: MlflowEntity, key: string, at: string): { expr: string; numeric: boolean } {
  switch (entity) {
    case "metric":
      return { expr: fieldSql(sql, `metrics.${key}.last`, at).expr, numeric: true };
    case "param": {
      const k = sql.param(key);
      return { expr: `COALESCE(r."config" ->> ${k}, r."config" #>> ${sql.param(key.split("."), "text[]")})`, numeric: false };
    }
    case "tag": {
      if (key === RUN_NAME_TAG) return { expr: `r."name"`, numeric: false };
      if (key === NOTE_TAG) return { expr: `NULLIF(r."notes", '')`, numeric: false };
      if (key === PARENT_RUN_TAG) return { expr: `COALESCE(r."parentRunId", r."system" -> 'mlflowTags' ->> ${sql.param(key)})`, numeric: false };
      const k = sql.param(key);
      return { expr: `COALESCE(r."system" -> 'mlflowTags' ->> ${k}, CASE WHEN ${k} = ANY(r."tags") THEN '' END)`, numeric: false };
    }
    case "dataset":
      if (key === "name") return { expr: `d."name"`, numeric: false };
      if (key === "digest") return { expr: `COALESCE(d."contentHash", d."version")`, numeric: false };
      return { expr: `CASE WHEN d."id" IS NOT NULL THEN 'train' END`, numeric: false };
    case "attribute":
      switch (key) {
        case "run_id": return { expr: `r."id"`, numeric: false };
        case "run_name": return { expr: `r."name"`, numeric: false };
        case "status":
          return { expr: `(CASE r."status" WHEN 'running' THEN 'RUNNING' WHEN 'finished' THEN 'FINISHED' WHEN 'killed' THEN 'KILLED' ELSE 'FAILED' END)`, numeric: false };
        case "user_id": return { expr: `(r."system" -> 'mlflowTags' ->> '${USER_TAG}')`, numeric: false };
        case "artifact_uri": return { expr: `''::text`, numeric: false };
        case "lifecycle_stage": return { expr: `(CASE WHEN r."deletedAt" IS NULL THEN 'active' ELSE 'deleted' END)`, numeric: false };
        case "start_time": return { expr: ms(`COALESCE(r."startedAt", r."createdAt")`), numeric: true };
        case "end_time": return { expr: ms(`r."finishedAt"`), numeric: true };
        default: return { expr: ms(`r."createdAt"`), numeric: true };
      }
  }
}

/**
 * MLflow's runs/search over the given projects: filter (parseMlflowFilter), order_by (default
 * start time, newest first), run_view_type; a page of maxResults runs from `offset`.
 */
export async function searchMlflowRuns(
  db: Db,
  input: { projectIds: string[]; filter?: string; orderBy?: string[]; maxResults?: number; offset?: number; viewType?: MlflowViewType },
): Promise<{ runs: MlflowRun[]; more: boolean }> {
  const maxResults = input.maxResults ?? 1000;
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > MLFLOW_LIMITS.maxResults) {
    throw new AppError("BAD_REQUEST", `Invalid value ${maxResults} for parameter 'max_results' supplied: expected an integer from 1 to ${MLFLOW_LIMITS.maxResults}`, { field: "max_results" });
  }
  const offset = input.offset ?? 0;
  const sql = new SqlBuilder();
  const where = [`r."projectId" = ANY(${sql.param(input.projectIds, "text[]")})`];
  const view = input.viewType ?? "ACTIVE_ONLY";
  if (view === "ACTIVE_ONLY") where.push(`r."deletedAt" IS NULL`);
  else if (view === "DELETED_ONLY") where.push(`r."deletedAt" IS NOT NULL`);
  for (const c of parseMlflowFilter(input.filter)) {
    const { expr, numeric } = identifierSql(sql, c.entity, c.key, "filter");
    if (c.op === "IS NULL" || c.op === "IS NOT NULL") where.push(`(${expr} ${c.op})`);
    else if (c.op === "IN") where.push(`(${expr} = ANY(${sql.param(c.value, "text[]")}))`);
    else if (c.op === "NOT IN") where.push(`(${expr} <> ALL(${sql.param(c.value, "text[]")}))`);
    else if (c.op === "LIKE" || c.op === "ILIKE") where.push(`(${expr} ${c.op} ${sql.param(c.value, "text")})`);
    else {
      const op = c.op === "!=" ? "<>" : c.op;
      where.push(numeric ? `(${expr} <> 'NaN'::float8 AND ${expr} ${op} ${sql.param(c.value, "float8")})` : `(${expr} ${op} ${sql.param(c.value, "text")})`);
    }
  }
  const order = (input.orderBy ?? []).map((text, i) => {
    const o = parseMlflowOrderBy(text, `order_by[${i}]`);
    return `${identifierSql(sql, o.entity, o.key, `order_by[${i}]`).expr} ${o.direction} NULLS LAST`;
  });
  order.push(`COALESCE(r."startedAt", r."createdAt") DESC`, `r."id" ASC`);
  const { rows } = await db.pool.query<{ seq: number }>(
    `SELECT r."seq" FROM "Run" r LEFT JOIN "Dataset" d ON d."id" = r."datasetId"
     WHERE ${where.join(" AND ")} ORDER BY ${order.join(", ")} LIMIT ${sql.param(maxResults + 1)} OFFSET ${sql.param(offset)}`,
    sql.params,
  );
  const more = rows.length > maxResults;
  const runs = await listMlflowRunsBySeq(db, rows.slice(0, maxResults).map((r) => r.seq));
  return { runs, more };
}
