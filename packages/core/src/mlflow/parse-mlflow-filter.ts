import { AppError } from "../shared/app-error";

export type MlflowEntity = "metric" | "param" | "tag" | "attribute" | "dataset";
export type MlflowClause = { entity: MlflowEntity; key: string; op: string; value: string | number | string[] | null };

const ENTITIES: Record<string, MlflowEntity> = {
  metric: "metric", metrics: "metric",
  param: "param", params: "param", parameter: "param", parameters: "param",
  tag: "tag", tags: "tag",
  attribute: "attribute", attributes: "attribute", attr: "attribute", run: "attribute",
  dataset: "dataset", datasets: "dataset",
};
export const STRING_ATTRIBUTES = ["run_id", "run_name", "status", "user_id", "artifact_uri", "lifecycle_stage"];
export const NUMERIC_ATTRIBUTES = ["start_time", "end_time", "created"];
const DATASET_FIELDS = ["name", "digest", "context"];
const NUMBER_OPS = ["=", "!=", "<", "<=", ">", ">="];
const STRING_OPS = ["=", "!=", "LIKE", "ILIKE"];
const LIST_OPS = ["IN", "NOT IN"];

const bad = (message: string, field = "filter") => new AppError("BAD_REQUEST", message, { field });

/** Splits text into MLflow search tokens: identifiers, quoted strings, numbers, operators, parentheses. */
function tokenize(text: string, field: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(`[^`]*`|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|<=|>=|!=|<>|=|<|>|\(|\)|,|-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|[A-Za-z_][\w/-]*(?:\.(?:`[^`]*`|"(?:[^"\\]|\\.)*"|[\w./-]+))?)/y;
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) throw bad(`Invalid ${field} '${text}': cannot parse at '${text.slice(at).trim().slice(0, 40)}'`, field);
    tokens.push(m[1]);
    at = re.lastIndex;
  }
  return tokens;
}

const unquote = (t: string) => (/^(`.*`|".*"|'.*')$/s.test(t) ? t.slice(1, -1).replace(/\\(.)/g, "$1") : t);
const isString = (t: string | undefined) => !!t && /^(".*"|'.*')$/s.test(t);

/** `metrics.loss`, `params."lr"`, `tags.\`my tag\``, `status` (an attribute) → entity and key. */
export function parseMlflowIdentifier(token: string, field: string): { entity: MlflowEntity; key: string } {
  const dot = token.indexOf(".");
  const head = dot > 0 ? token.slice(0, dot).toLowerCase() : "";
  const entity = ENTITIES[head];
  if (!entity) {
    const key = unquote(token);
    if (STRING_ATTRIBUTES.includes(key) || NUMERIC_ATTRIBUTES.includes(key)) return { entity: "attribute", key };
    throw bad(`Invalid identifier '${token}' in ${field}: expected metrics.<key>, params.<key>, tags.<key>, attributes.<name> or datasets.<field>`, field);
  }
  const key = unquote(token.slice(dot + 1));
  if (!key) throw bad(`Invalid identifier '${token}' in ${field}: expected a key after '${head}.'`, field);
  if (entity === "attribute" && !STRING_ATTRIBUTES.includes(key) && !NUMERIC_ATTRIBUTES.includes(key)) {
    throw bad(`Invalid attribute key '${key}' in ${field}: expected one of ${[...STRING_ATTRIBUTES, ...NUMERIC_ATTRIBUTES].join(", ")}`, field);
  }
  if (entity === "dataset" && !DATASET_FIELDS.includes(key)) throw bad(`Invalid dataset key '${key}' in ${field}: expected one of ${DATASET_FIELDS.join(", ")}`, field);
  return { entity, key };
}

/**
 * MLflow's search_runs filter (mlflow/utils/search_utils.py): clauses joined by AND, each
 * `<identifier> <comparator> <value>`. Metrics and numeric attributes compare numbers; params,
 * tags and string attributes take =, !=, LIKE, ILIKE (tags also IS [NOT] NULL); run_id, status,
 * run_name and datasets also IN / NOT IN ('a', 'b').
 */
export function parseMlflowFilter(text: string | undefined): MlflowClause[] {
  if (!text || !text.trim()) return [];
  const t = tokenize(text, "filter");
  const clauses: MlflowClause[] = [];
  let i = 0;
  while (i < t.length) {
    const { entity, key } = parseMlflowIdentifier(t[i++], "filter");
    let op = (t[i++] ?? "").toUpperCase();
    if (op === "NOT" || op === "IS") {
      const next = (t[i++] ?? "").toUpperCase();
      op = `${op} ${next}`;
      if (op === "IS NOT") op = `IS NOT ${(t[i++] ?? "").toUpperCase()}`;
    }
    if (op === "<>") op = "!=";
    const numeric = entity === "metric" || (entity === "attribute" && NUMERIC_ATTRIBUTES.includes(key));
    const listable = (entity === "attribute" && ["run_id", "status", "run_name", "user_id"].includes(key)) || entity === "dataset";
    const allowed = numeric ? NUMBER_OPS : [...STRING_OPS, ...(listable ? LIST_OPS : []), ...(entity === "tag" ? ["IS NULL", "IS NOT NULL"] : [])];
    if (!allowed.includes(op)) throw bad(`Invalid comparator '${op}' for ${entity} '${key}' in filter: expected one of ${allowed.join(", ")}`);
    let value: MlflowClause["value"] = null;
    if (LIST_OPS.includes(op)) {
      if (t[i++] !== "(") throw bad(`expected a parenthesised list of strings after ${op} in filter, e.g. ('a', 'b')`);
      const list: string[] = [];
      while (isString(t[i])) {
        list.push(unquote(t[i++]));
        if (t[i] === ",") i++;
      }
      if (t[i++] !== ")" || list.length === 0) throw bad(`expected a non-empty list of quoted strings after ${op} in filter, e.g. ('a', 'b')`);
      value = list;
    } else if (!op.startsWith("IS ")) {
      const v = t[i++];
      if (numeric) {
        const n = v !== undefined && !isString(v) ? Number(v) : NaN;
        if (!Number.isFinite(n)) throw bad(`Expected numeric value type for ${entity} '${key}' in filter, got ${v ?? "nothing"}`);
        value = n;
      } else {
        if (!isString(v)) throw bad(`Expected a quoted string value for ${entity} '${key}' in filter (e.g. '${key}' = 'x'), got ${v ?? "nothing"}`);
        value = unquote(v!);
      }
    }
    clauses.push({ entity, key, op, value });
    if (i < t.length) {
      if (t[i].toUpperCase() !== "AND") throw bad(`Invalid filter: expected AND between clauses, got '${t[i]}' (MLflow filters do not support OR)`);
      i++;
      if (i >= t.length) throw bad("Invalid filter: expected a clause after AND");
    }
  }
  return clauses;
}

/** `metrics.loss DESC`, `attributes.start_time`, `params.lr ASC` → identifier and direction. */
export function parseMlflowOrderBy(text: string, at: string): { entity: MlflowEntity; key: string; direction: "ASC" | "DESC" } {
  const t = tokenize(text, at);
  if (t.length === 0 || t.length > 2) throw bad(`Invalid order_by clause '${text}': expected '<identifier> [ASC|DESC]'`, at);
  const direction = (t[1] ?? "ASC").toUpperCase();
  if (direction !== "ASC" && direction !== "DESC") throw bad(`Invalid order_by clause '${text}': expected ASC or DESC after the identifier`, at);
  return { ...parseMlflowIdentifier(t[0], at), direction };
}
