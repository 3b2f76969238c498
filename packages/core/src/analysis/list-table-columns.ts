import { bestStatOf, isSurelyConstant, mainTarget, varyingConfigKeys } from "@finetrack/analysis";
import { parseRunField } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { fromJsonNumber } from "../shared/json";
import { filterSql, SqlBuilder } from "../run/build-run-query";
import { jsonCells } from "./json-cells";
import { MAX_TABLE_BYTES, MAX_TABLE_CELLS, MAX_TABLE_COLUMNS, MAX_TABLE_METRICS_PER_RUN, type RunRows, type RunRowsInput, type Scalar } from "./run-rows";

const TABLE_STATS = ["min", "max", "last"] as const;
type TableStat = (typeof TABLE_STATS)[number];
type Asked = { kind: "config" | "summary"; key: string } | { kind: "metric"; key: string; stat: TableStat };
/** Summary key a derived run's Duration reads (its own start and finish are a moment apart). */
const WALL_TIME_KEY = "wall_time_ms";

/**
 * The runs the table shows, newest first, numbered from 0 (`i`), as a FROM item: the filter, the
 * row limit and the byte budget (the cumulative stored size of the JSON columns; the first run is
 * kept whatever its size). It holds one run more than the limit, `kept` false past them, so one
 * pass both reads the runs and tells whether some were left out.
 */
function keptRuns(sql: SqlBuilder, projectId: string, input: RunRowsInput, limit: number, select: string): string {
  const where = filterSql(sql, projectId, input.filter);
  if (input.ids) where.push(`r."id" = ANY(${sql.param(input.ids, "text[]")})`);
  return `(SELECT y.*, (y.i < ${sql.param(limit)} AND (y.i = 0 OR y."bytes" <= ${MAX_TABLE_BYTES})) AS "kept" FROM (
      SELECT ${select}, (row_number() OVER w - 1)::int AS i,
        sum(pg_column_size(r."config") + pg_column_size(r."summary") + pg_column_size(r."metricStats")) OVER w AS "bytes"
      FROM "Run" r LEFT JOIN "Dataset" d ON d."id" = r."datasetId"
      WHERE ${where.join(" AND ")}
      WINDOW w AS (ORDER BY r."createdAt" DESC, r."id" DESC ROWS UNBOUNDED PRECEDING)
      ORDER BY r."createdAt" DESC, r."id" DESC
      LIMIT ${sql.param(limit + 1)}
    ) y) x`;
}

const FIELDS = {
  id: `r."id"`,
  name: `r."name"`,
  status: `r."status"::text`,
  baseModel: `r."baseModel"`,
  dataset: `CASE WHEN d."id" IS NULL THEN NULL ELSE d."name" || '@' || d."version" END`,
  method: `r."method"`,
  group: `r."group"`,
  tags: `r."tags"`,
  parentRunId: `r."parentRunId"`,
  seed: `r."seed"`,
  // Whole ms: numbers, not timestamps (parsing 30,000 dates costs more than the query), and short ones.
  createdAt: `round(extract(epoch FROM r."createdAt") * 1000)::float8`,
  // GREATEST skips NULLs, so a run never started would read 0 s without the CASE.
  durationSec: `CASE WHEN COALESCE(r."finishedAt", r."heartbeatAt") - r."startedAt" IS NULL THEN NULL
       ELSE GREATEST(0, extract(epoch FROM COALESCE(r."finishedAt", r."heartbeatAt") - r."startedAt"))::float8 END`,
  // Config and summary whole: the table's defaults are chosen among every config key, and the
  // catalog says which paths are numeric. They are small beside the metric statistics.
  config: `r."config"`,
  summary: `r."summary"`,
} as const;
type FieldName = keyof typeof FIELDS;
/** Run fields most runs leave empty (a derived run's parent, a group, a dataset, a seed). */
const SPARSE: ReadonlySet<FieldName> = new Set(["dataset", "group", "parentRunId", "seed"]);

const aggregate = (columns: string[]) => columns.map((c) => `json_agg("${c}" ORDER BY i) FILTER (WHERE "kept") AS "${c}"`).join(", ");
const selectOf = (exprs: [string, string][]) => exprs.map(([name, expr]) => `${expr} AS "${name}"`).join(", ");

type FieldsRow = { [K in FieldName]: unknown[] | null } & { n: number; total: number };

/** The run fields, config and summary of the kept runs, one JSON array each. */
async function readFields(db: Db, projectId: string, input: RunRowsInput, limit: number): Promise<FieldsRow> {
  const sql = new SqlBuilder();
  const names = Object.keys(FIELDS) as FieldName[];
  // Fields most runs leave empty travel as the rows that have them and their values.
  const dense = aggregate(names.filter((f) => !SPARSE.has(f)));
  const sparse = [...SPARSE].map((f) => `json_agg(i ORDER BY i) FILTER (WHERE "kept" AND "${f}" IS NOT NULL) AS "${f}_at", json_agg("${f}" ORDER BY i) FILTER (WHERE "kept" AND "${f}" IS NOT NULL) AS "${f}"`);
  const text = `SELECT ${dense}, ${sparse.join(", ")}, count(*) FILTER (WHERE "kept")::int AS "n", count(*)::int AS "total"
    FROM ${keptRuns(sql, projectId, input, limit, selectOf(names.map((n) => [n, FIELDS[n]])))}`;
  const { rows } = await db.pool.query<FieldsRow & Record<string, unknown[] | null>>(text, sql.params);
  const row = rows[0];
  for (const f of SPARSE) {
    const column = new Array<unknown>(row.n).fill(null);
    const at = (row[`${f}_at`] ?? []) as number[];
    const values = row[f] ?? [];
    for (let j = 0; j < at.length; j++) column[at[j]] = values[j];
    row[f] = column;
  }
  return row;
}

/** Every metric key of the kept runs (the first ones of each run), first seen first. */
async function readMetricKeys(db: Db, projectId: string, input: RunRowsInput, limit: number): Promise<string[]> {
  const sql = new SqlBuilder();
  const text = `SELECT k.key FROM ${keptRuns(sql, projectId, input, limit, `r."metricStats" AS "stats"`)},
      LATERAL (SELECT * FROM jsonb_object_keys(CASE WHEN jsonb_typeof(x."stats") = 'object' THEN x."stats" ELSE '{}'::jsonb END)
               WITH ORDINALITY LIMIT ${MAX_TABLE_METRICS_PER_RUN}) AS k(key, ord)
    WHERE x."kept" GROUP BY k.key ORDER BY min(x.i::bigint * ${MAX_TABLE_METRICS_PER_RUN + 1} + k.ord), k.key`;
  const { rows } = await db.pool.query<{ key: string }>(text, sql.params);
  return rows.map((r) => r.key);
}

/** One array per asked metric statistic, read at its JSON path (the runs' other statistics stay in the database). */
async function readMetricColumns(db: Db, projectId: string, input: RunRowsInput, limit: number, stats: { key: string; stat: TableStat }[]): Promise<unknown[][]> {
  if (!stats.length) return [];
  const sql = new SqlBuilder();
  const exprs = stats.map((s, j) => [`m${j}`, `(r."metricStats" -> ${sql.param(s.key)} -> '${s.stat}')`] as [string, string]);
  const text = `SELECT ${aggregate(exprs.map(([name]) => name))} FROM ${keptRuns(sql, projectId, input, limit, selectOf(exprs))}`;
  const { rows } = await db.pool.query<Record<string, unknown[] | null>>(text, sql.params);
  return exprs.map(([name]) => rows[0][name] ?? []);
}

/** Flattened JSON paths as dense columns, with what the catalog and the defaults need of each path. */
class FlatColumns {
  readonly values: Record<string, Scalar[]> = Object.create(null);
  readonly info = new Map<string, { present: number; numeric: boolean; number: boolean; levels: number; first: Scalar }>();
  truncated = false;
  constructor(private readonly n: number, private readonly maxColumns: number) {}
  add(json: unknown[]): void {
    json.forEach((doc, i) => {
      const cells = jsonCells(doc);
      for (const key in cells) {
        const v = cells[key];
        let col = this.values[key];
        let info = this.info.get(key);
        if (!col || !info) {
          if (this.info.size >= this.maxColumns) {
            this.truncated = true;
            continue;
          }
          col = this.values[key] = new Array<Scalar>(this.n).fill(null);
          this.info.set(key, (info = { present: 0, numeric: true, number: false, levels: 0, first: v }));
        }
        col[i] = v;
        info.present++;
        if (v !== null) {
          if (typeof v === "number") info.number = true;
          else info.numeric = false;
        }
        // Up to two levels: enough to know a path is constant.
        if (info.levels === 0) info.levels = 1;
        else if (info.levels === 1 && v !== info.first && !(Number.isNaN(v) && Number.isNaN(info.first))) info.levels = 2;
      }
    });
  }
  catalog(): { key: string; numeric: boolean }[] {
    return [...this.info].map(([key, c]) => ({ key, numeric: c.numeric && c.number }));
  }
}

/** The asked-for column ids as table columns: `config.<path>`, `summary.<path>`, `metrics.<key>.<min|max|last>`. */
function parseColumns(ids: readonly string[]): Asked[] {
  return ids.map((id, j) => {
    const field = parseRunField(id);
    const fail = (message: string) => new AppError("BAD_REQUEST", `${message}, got '${id}'`, { field: `columns.${j}` });
    if (typeof field === "string") throw fail(field);
    if (field.kind === "column") throw fail("expected a 'config.<path>', 'summary.<path>' or 'metrics.<key>.<stat>' column (run fields always come)");
    if (field.kind === "metric") {
      if (!(TABLE_STATS as readonly string[]).includes(field.stat)) throw fail(`expected a statistic the table shows (${TABLE_STATS.join(", ")})`);
      return { kind: "metric", key: field.key, stat: field.stat as TableStat };
    }
    // The flattened path as the table names it (`a.b` is the key `a.b` or the key `b` inside `a`).
    return { kind: field.kind, key: id.slice(field.kind.length + 1) };
  });
}

/** A stored statistic (NaN and ±Infinity are stored as their names); null where the run has none. */
const statOf = (v: unknown): number | null => (v === null || v === undefined ? null : fromJsonNumber(v));

/**
 * The runs table's answer: the run fields, only the config, summary and metric columns asked for
 * (with `defaults`, also the table's default ones: the main target's best value and the config keys
 * that are factors of these runs) and the catalog of every column. Metric statistics, most of a
 * run's stored JSON, are read at the asked paths only.
 */
export async function listTableColumns(db: Db, projectId: string, input: RunRowsInput, limit: number): Promise<RunRows> {
  const asked = parseColumns(input.columns ?? []);
  const askedStats = asked.filter((a) => a.kind === "metric");
  // Three reads at once: the fields; the metric keys, then the metric columns (with defaults the
  // main target is known from the keys).
  const metricsRead = readMetricKeys(db, projectId, input, limit).then(async (metricKeys) => {
    const known = new Set(metricKeys);
    const target = input.defaults ? mainTarget(metricKeys) : null;
    const stats = askedStats.filter((a) => known.has(a.key));
    if (target && !stats.some((s) => s.key === target && s.stat === bestStatOf(target))) stats.push({ kind: "metric", key: target, stat: bestStatOf(target) });
    return { metricKeys, target, stats, values: await readMetricColumns(db, projectId, input, limit, stats.slice(0, MAX_TABLE_COLUMNS)) };
  });
  const [row, metrics] = await Promise.all([readFields(db, projectId, input, limit), metricsRead]);
  const { n } = row;
  const field = <T>(name: FieldName) => (row[name] ?? []) as T[];
  // Every column costs n cells of the budget: the run fields first, then config, summary and metrics.
  let room = Math.floor(MAX_TABLE_CELLS / Math.max(1, n)) - Object.keys(FIELDS).length;
  const config = new FlatColumns(n, Math.max(0, room));
  config.add(field("config"));
  room -= config.info.size;
  const summary = new FlatColumns(n, Math.max(0, room));
  summary.add(field("summary"));
  room -= summary.info.size;
  const { metricKeys, target, stats } = metrics;
  const sentStats = stats.slice(0, Math.max(0, Math.min(room, MAX_TABLE_COLUMNS)));

  const out: RunRows = {
    count: n,
    truncated: row.total > n,
    columnsTruncated: config.truncated || summary.truncated || sentStats.length < stats.length,
    id: field("id"), name: field("name"), status: field("status"), baseModel: field("baseModel"), dataset: field("dataset"), method: field("method"),
    group: field("group"), tags: field("tags"), parentRunId: field("parentRunId"), seed: field("seed"), createdAt: field("createdAt"), durationSec: field("durationSec"),
    config: Object.create(null), summary: Object.create(null), metrics: Object.create(null),
    catalog: { config: config.catalog(), summary: summary.catalog(), metrics: metricKeys },
  };
  sentStats.forEach((s, j) => {
    out.metrics[s.key] ??= { min: [], max: [], last: [] };
    out.metrics[s.key][s.stat] = metrics.values[j].map(statOf);
  });
  const sendConfig = new Set(asked.filter((a) => a.kind === "config").map((a) => a.key));
  if (input.defaults) {
    // A key every run has with one value is constant without a look; the rest are judged as factors.
    const keys = [...config.info.keys()];
    const candidates: Record<string, Scalar[]> = Object.create(null);
    for (const [key, c] of config.info) if (!isSurelyConstant(key, c.present, c.levels, n, keys)) candidates[key] = config.values[key];
    const chosen = varyingConfigKeys({ fields: { baseModel: out.baseModel, method: out.method, dataset: out.dataset }, group: out.group, config: candidates });
    for (const key of chosen) sendConfig.add(key);
    out.defaultColumns = ["name", ...(target ? [`metrics.${target}.${bestStatOf(target)}`] : []), "status", "baseModel", "dataset", "method", "group", "tags", "duration", "createdAt", ...chosen.map((k) => `config.${k}`)];
  }
  for (const key of sendConfig) if (config.info.has(key)) out.config[key] = config.values[key];
  for (const a of asked) if (a.kind === "summary" && summary.info.has(a.key)) out.summary[a.key] = summary.values[a.key];
  if (summary.info.has(WALL_TIME_KEY)) out.summary[WALL_TIME_KEY] = summary.values[WALL_TIME_KEY];
  return out;
}
