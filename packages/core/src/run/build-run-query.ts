import { findJsonIssue, isSafeText, parseRunField, type RunColumn, type RunCondition, type RunField, type RunFilter } from "@finetrack/contracts";
import { AppError } from "../shared/app-error";

type FieldType = "text" | "number" | "time" | "jsonb" | "metric";
type FieldSql = { expr: string; type: FieldType };

const COLUMNS: Record<RunColumn, FieldSql> = {
  name: { expr: `r."name"`, type: "text" },
  status: { expr: `r."status"::text`, type: "text" },
  createdAt: { expr: `r."createdAt"`, type: "time" },
  startedAt: { expr: `r."startedAt"`, type: "time" },
  finishedAt: { expr: `r."finishedAt"`, type: "time" },
  heartbeatAt: { expr: `r."heartbeatAt"`, type: "time" },
  updatedAt: { expr: `r."updatedAt"`, type: "time" },
  baseModel: { expr: `r."baseModel"`, type: "text" },
  baseModelParams: { expr: `r."baseModelParams"::float8`, type: "number" },
  method: { expr: `r."method"`, type: "text" },
  group: { expr: `r."group"`, type: "text" },
  seed: { expr: `r."seed"::float8`, type: "number" },
  dataset: { expr: `d."name"`, type: "text" },
};

const CAST: Record<FieldType, string> = { text: "text", number: "float8", time: "timestamptz", jsonb: "jsonb", metric: "float8" };

/** A JSON value as float8 when it is a number or one of the non-finite names we store; else NULL. */
function numericOf(jsonExpr: string): string {
  return `(CASE jsonb_typeof(${jsonExpr}) WHEN 'number' THEN (${jsonExpr} #>> '{}')::float8
    WHEN 'string' THEN CASE WHEN ${jsonExpr} #>> '{}' IN ('NaN', 'Infinity', '-Infinity') THEN (${jsonExpr} #>> '{}')::float8 END END)`;
}

/** Accumulates SQL text and its parameters. */
export class SqlBuilder {
  readonly params: unknown[] = [];
  param(value: unknown, cast?: string): string {
    this.params.push(value);
    return cast ? `$${this.params.length}::${cast}` : `$${this.params.length}`;
  }
}

export function fieldSql(sql: SqlBuilder, text: string, at: string): FieldSql {
  const field: RunField | string = parseRunField(text);
  if (typeof field === "string") throw new AppError("BAD_REQUEST", field, { field: at });
  switch (field.kind) {
    case "column":
      return COLUMNS[field.column];
    case "config":
    case "summary":
      return { expr: `(r."${field.kind}" #> ${sql.param(field.path, "text[]")})`, type: "jsonb" };
    case "metric":
      return { expr: numericOf(`(r."metricStats" -> ${sql.param(field.key)} -> ${sql.param(field.stat)})`), type: "metric" };
  }
}

function conditionSql(sql: SqlBuilder, c: RunCondition, at: string): string {
  const f = fieldSql(sql, c.field, `${at}.field`);
  if (c.op === "exists") return f.type === "jsonb" ? `(${f.expr} IS NOT NULL AND ${f.expr} <> 'null'::jsonb)` : `(${f.expr} IS NOT NULL)`;
  const values = Array.isArray(c.value) ? c.value : [c.value];
  const needNumber = f.type === "number" || f.type === "metric";
  const bad = values.findIndex((v) => (needNumber && typeof v !== "number") || (f.type === "time" && !(typeof v === "string" && isTimestampText(v))));
  if (bad >= 0) {
    throw new AppError("BAD_REQUEST", `expected ${needNumber ? "a number" : "an ISO date string"} for field '${c.field}', got ${JSON.stringify(values[bad])}`, { field: `${at}.value` });
  }
  if (f.type === "jsonb") {
    if (c.op === "in") return `(${f.expr} = ANY(${sql.param(values.map((v) => JSON.stringify(v)), "jsonb[]")}))`;
    const v = c.value as string | number | boolean;
    if (c.op === "eq") return `(${f.expr} = ${sql.param(JSON.stringify(v), "jsonb")})`;
    if (c.op === "ne") return `(${f.expr} IS DISTINCT FROM ${sql.param(JSON.stringify(v), "jsonb")})`;
    const cmp = { lt: "<", lte: "<=", gt: ">", gte: ">=" }[c.op];
    if (typeof v === "number") return numericCompare(numericOf(f.expr), cmp!, sql.param(v, "float8"));
    return `(jsonb_typeof(${f.expr}) = 'string' AND (${f.expr} #>> '{}') ${cmp} ${sql.param(String(v), "text")})`;
  }
  const cast = CAST[f.type];
  const asParam = (v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : f.type === "text" ? String(v) : v);
  if (c.op === "in") return `(${f.expr} = ANY(${sql.param(values.map(asParam), `${cast}[]`)}))`;
  const p = sql.param(asParam(c.value), cast);
  if (c.op === "eq") return `(${f.expr} = ${p})`;
  if (c.op === "ne") return `(${f.expr} IS DISTINCT FROM ${p})`;
  const cmp = { lt: "<", lte: "<=", gt: ">", gte: ">=" }[c.op];
  return needNumber ? numericCompare(f.expr, cmp, p) : `(${f.expr} ${cmp} ${p})`;
}

/** Postgres orders NaN above every number; a filter follows IEEE instead: NaN matches no comparison. */
function numericCompare(expr: string, cmp: string, param: string): string {
  return `(${expr} <> 'NaN'::float8 AND ${expr} ${cmp} ${param})`;
}

export function filterSql(sql: SqlBuilder, projectId: string, filter: RunFilter | undefined): string[] {
  // Runs deleted through the MLflow API (runs/delete) are out of every list until restored.
  const where = [`r."projectId" = ${sql.param(projectId)}`, `r."deletedAt" IS NULL`];
  if (!filter) return where;
  if (filter.status?.length) where.push(`r."status"::text = ANY(${sql.param(filter.status, "text[]")})`);
  if (filter.tags?.length) where.push(`r."tags" @> ${sql.param(filter.tags, "text[]")}`);
  if (filter.baseModel?.length) where.push(`r."baseModel" = ANY(${sql.param(filter.baseModel, "text[]")})`);
  if (filter.method?.length) where.push(`r."method" = ANY(${sql.param(filter.method, "text[]")})`);
  if (filter.group?.length) where.push(`r."group" = ANY(${sql.param(filter.group, "text[]")})`);
  if (filter.parentRunId) where.push(`r."parentRunId" = ${sql.param(filter.parentRunId)}`);
  if (filter.dataset?.length) {
    const p = sql.param(filter.dataset, "text[]");
    where.push(`(d."name" = ANY(${p}) OR (d."name" || '@' || d."version") = ANY(${p}) OR d."id" = ANY(${p}))`);
  }
  if (filter.search) {
    const like = sql.param(`%${filter.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`);
    where.push(`(r."name" ILIKE ${like} OR r."id" ILIKE ${like})`);
  }
  filter.where?.forEach((c, i) => where.push(conditionSql(sql, c, `filter.where[${i}]`)));
  return where;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?)?(?:Z|[+-](?:0\d|1[0-5])(?::?[0-5]\d)?)?$/;

/**
 * An ISO 8601 date or date-time (`2026-01-31`, `2026-01-31T12:00:00.5Z`, PostgreSQL's own
 * `2026-01-31 12:00:00.123+00`) that timestamptz accepts: real calendar days, years 0001–9999.
 */
export function isTimestampText(text: string): boolean {
  const m = TIMESTAMP.exec(text);
  if (!m) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() + (month === 2 && !(year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? -1 : 0);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59;
}

export type RunCursor = { v: string | null; id: string };

export function encodeCursor(cursor: RunCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

export function decodeCursor(text: string): RunCursor {
  try {
    const parsed = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (typeof parsed.id === "string" && (parsed.v === null || typeof parsed.v === "string")) return parsed;
  } catch {
    // fall through to the error below
  }
  throw new AppError("BAD_REQUEST", "expected a cursor returned by a previous run.list call", { field: "cursor" });
}

/** A cursor's sort value must read as the sort field's type (a forged one would fail in SQL). */
function checkCursorValue(cursor: RunCursor, f: FieldSql): void {
  const v = cursor.v;
  const ok =
    isSafeText(cursor.id) &&
    (v === null ||
      (isSafeText(v) &&
        (f.type === "text" ||
          (f.type === "time" && isTimestampText(v)) ||
          ((f.type === "number" || f.type === "metric") && (Number.isFinite(Number(v)) || ["NaN", "Infinity", "-Infinity"].includes(v)) && v.trim() !== "") ||
          (f.type === "jsonb" && isJsonText(v)))));
  if (!ok) throw new AppError("BAD_REQUEST", "expected a cursor returned by a previous run.list call with the same sort", { field: "cursor" });
}

function isJsonText(text: string): boolean {
  try {
    return findJsonIssue(JSON.parse(text)) === null;
  } catch {
    return false;
  }
}

/** Keyset condition after `cursor` for ORDER BY expr <dir> NULLS LAST, id <dir>. */
export function afterCursorSql(sql: SqlBuilder, f: FieldSql, direction: "asc" | "desc", cursor: RunCursor): string {
  checkCursorValue(cursor, f);
  const id = sql.param(cursor.id);
  const cmp = direction === "asc" ? ">" : "<";
  if (cursor.v === null) return `(${f.expr} IS NULL AND r."id" ${cmp} ${id})`;
  const v = sql.param(cursor.v, CAST[f.type]);
  return `(${f.expr} ${cmp} ${v} OR (${f.expr} = ${v} AND r."id" ${cmp} ${id}) OR ${f.expr} IS NULL)`;
}
