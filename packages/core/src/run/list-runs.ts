import { DEFAULT_LIST_LIMIT, MAX_LIST_METRIC_STATS, type Project, type RunFilter, type RunListOutput } from "@finetrack/contracts";
import { readRunRecords, type Db } from "@finetrack/db";
import { getProject } from "../project/get-project";
import { afterCursorSql, decodeCursor, encodeCursor, fieldSql, filterSql, SqlBuilder } from "./build-run-query";
import { recordToRun } from "./to-run";

export type ListRunsOptions = {
  project: string;
  filter?: RunFilter;
  sort?: { field: string; direction?: "asc" | "desc" };
  cursor?: string | null;
  limit?: number;
};

/**
 * Runs of a project matching `filter`, sorted by a column, a config or summary value or a metric
 * statistic (missing values last), paged with an opaque keyset cursor. `known`: the project as the
 * request already resolved it (authorization).
 */
export async function listRuns(db: Db, options: ListRunsOptions, known?: Project): Promise<RunListOutput> {
  const project = known?.slug === options.project ? known : await getProject(db, options.project);
  const limit = options.limit ?? DEFAULT_LIST_LIMIT;
  const direction = options.sort?.direction ?? "desc";
  const sql = new SqlBuilder();
  const sortField = fieldSql(sql, options.sort?.field ?? "createdAt", "sort.field");
  const where = filterSql(sql, project.id, options.filter);
  if (options.cursor) where.push(afterCursorSql(sql, sortField, direction, decodeCursor(options.cursor)));
  const dir = direction === "asc" ? "ASC" : "DESC";
  const text = `SELECT r."id", r."seq", (${sortField.expr})::text AS "sortValue"
    FROM "Run" r LEFT JOIN "Dataset" d ON d."id" = r."datasetId"
    WHERE ${where.join(" AND ")}
    ORDER BY ${sortField.expr} ${dir} NULLS LAST, r."id" ${dir}
    LIMIT ${sql.param(limit + 1)}`;
  const { rows } = await db.pool.query<{ id: string; seq: number; sortValue: string | null }>(text, sql.params);
  const page = rows.slice(0, limit);
  const byId = new Map((await readRunRecords(db.pool, page.map((r) => r.seq), MAX_LIST_METRIC_STATS)).map((r) => [r.id, r]));
  const last = page[page.length - 1];
  return {
    items: page.flatMap((r) => (byId.has(r.id) ? [recordToRun(byId.get(r.id)!)] : [])),
    nextCursor: rows.length > limit && last ? encodeCursor({ v: last.sortValue, id: last.id }) : null,
  };
}
